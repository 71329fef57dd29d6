import Crypto
import Foundation
import Hummingbird
import NIOFileSystem

/// A multipart form read off the wire: small text fields in memory, the `file` field on disk.
struct ReceivedForm: Sendable {
    var fields: [String: String] = [:]
    /// Every value of each field, in order (a list is sent as the field repeated).
    var allFields: [String: [String]] = [:]
    var file: ReceivedFile?
}

/// The `file` field: where its bytes were written, how many, and their MD5.
struct ReceivedFile: Sendable {
    var temporaryPath: String
    var filename: String?
    var size: Int
    var md5: String
}

/// Streams a request body through `MultipartScanner`, writing the file field to a temp file while hashing it.
enum FormReceiver {
    static let maxFieldBytes = 4096

    static func boundary(from contentType: String?) throws -> String {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw APIError.badRequest("Content-Type must be multipart/form-data.")
        }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            if !value.isEmpty { return value }
        }
        throw APIError.badRequest("Content-Type multipart/form-data has no boundary.")
    }

    /// Reads the whole form; on any failure the temp file is removed before the error propagates.
    static func receive(_ request: Request, files: FileLayout, fileField: String = "file", maxFileBytes: Int? = nil) async throws
        -> ReceivedForm
    {
        var scanner = MultipartScanner(boundary: try boundary(from: request.headers[.contentType]))
        var form = ReceivedForm()
        var current: String?
        var fieldBytes: [UInt8] = []
        var sink: FileSink?
        do {
            for try await chunk in request.body {
                for event in try scanner.feed(chunk) {
                    switch event {
                    case .partStart(let name, let filename):
                        current = name
                        fieldBytes = []
                        if name == fileField {
                            if let old = form.file { try? FileManager.default.removeItem(atPath: old.temporaryPath) }
                            sink = try await FileSink(path: files.temporaryPath(), filename: filename)
                        }
                    case .body(let bytes):
                        if let open = sink, current == fileField {
                            try await open.write(bytes)
                            if let maxFileBytes, open.size > maxFileBytes {
                                throw APIError(
                                    status: .contentTooLarge, message: "The file is larger than \(maxFileBytes) bytes.")
                            }
                        } else {
                            fieldBytes.append(contentsOf: bytes.readableBytesView)
                            if fieldBytes.count > maxFieldBytes {
                                throw APIError.badRequest("Form field \(current ?? "?") is too long.")
                            }
                        }
                    case .partEnd:
                        if let open = sink, current == fileField {
                            form.file = try await open.finish()
                            sink = nil
                        } else if let current {
                            form.fields[current] = String(decoding: fieldBytes, as: UTF8.self)
                            form.allFields[current, default: []].append(String(decoding: fieldBytes, as: UTF8.self))
                        }
                        current = nil
                    }
                }
            }
            guard scanner.isDone else {
                throw APIError.badRequest("Malformed multipart body: it ends before the closing boundary.")
            }
            return form
        } catch {
            if let sink { await sink.discard() }
            if let file = form.file { try? FileManager.default.removeItem(atPath: file.temporaryPath) }
            throw error
        }
    }
}

/// One open temp file being written and hashed. Only used inside one request's task.
final class FileSink {
    let path: String
    let filename: String?
    private let handle: WriteFileHandle
    private var writer: BufferedWriter<WriteFileHandle>
    private var hash = Insecure.MD5()
    private(set) var size = 0

    init(path: String, filename: String?) async throws {
        self.path = path
        self.filename = filename
        handle = try await FileSystem.shared.openFile(forWritingAt: FilePath(path), options: .newFile(replaceExisting: true))
        writer = handle.bufferedWriter(capacity: .mebibytes(1))
    }

    func write(_ bytes: ByteBuffer) async throws {
        bytes.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
        size += bytes.readableBytes
        try await writer.write(contentsOf: bytes)
    }

    func finish() async throws -> ReceivedFile {
        try await writer.flush()
        try await handle.close()
        return ReceivedFile(temporaryPath: path, filename: filename, size: size, md5: RandomToken.hexString(hash.finalize()))
    }

    func discard() async {
        try? await handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
