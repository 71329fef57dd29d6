public import Providers

/// One part of a chunked upload: the provider-neutral chunk (a byte range and its index from 0).
public typealias PartRange = UploadChunk

extension UploadChunk {
    /// `bytes START-END/TOTAL`, END inclusive.
    public func contentRange(totalSize: Int64) -> String { "bytes \(start)-\(endInclusive)/\(totalSize)" }
}

/// How a file of `fileSize` bytes is cut into parts of `partSize` bytes (the last may be smaller).
public struct PartPlan: Sendable, Hashable {
    public static let mebibyte: Int64 = 1 << 20
    public static let defaultPartSize: Int64 = 50 * mebibyte
    public static let minimumPartSize: Int64 = 5 * mebibyte
    public static let maximumPartSize: Int64 = 200 * mebibyte

    public let fileSize: Int64
    public let partSize: Int64
    public let parts: [PartRange]

    /// - Parameter minimumPartSize: lower only to match a test server configured with smaller parts.
    public init(fileSize: Int64, partSize: Int64 = PartPlan.defaultPartSize, minimumPartSize: Int64 = PartPlan.minimumPartSize)
        throws
    {
        guard fileSize > 0 else {
            throw AIOZError(code: .invalidFile, operation: "The file is empty: AIOZ Stream needs at least one byte to upload")
        }
        guard partSize >= max(1, minimumPartSize), partSize <= Self.maximumPartSize else {
            throw AIOZError(
                code: .invalidRequest,
                operation:
                    "Part size \(partSize) bytes is outside the allowed \(Self.describe(max(1, minimumPartSize)))…\(Self.describe(Self.maximumPartSize))"
            )
        }
        self.fileSize = fileSize
        self.partSize = partSize
        var parts: [PartRange] = []
        parts.reserveCapacity(Int((fileSize + partSize - 1) / partSize))
        var start: Int64 = 0
        while start < fileSize {
            let end = min(start + partSize, fileSize) - 1
            parts.append(PartRange(index: parts.count, start: start, endInclusive: end))
            start = end + 1
        }
        self.parts = parts
    }

    /// The plan's `Content-Range` for `part`.
    public func contentRange(for part: PartRange) -> String { part.contentRange(totalSize: fileSize) }

    static func describe(_ bytes: Int64) -> String {
        bytes % mebibyte == 0 ? "\(bytes / mebibyte) MiB" : "\(bytes) bytes"
    }
}
