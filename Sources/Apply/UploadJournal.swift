import Foundation
public import Providers

/// The chunks of each upload that the service has acknowledged, kept under `.streamplan/` so that an
/// apply killed mid-upload does not re-send them.
///
/// Losing the journal costs re-sent parts, never a duplicate video or wrong bytes: the video is
/// found again by its ownership marks, and an entry is used only when the video id, the source's key
/// (its identity: size, modification time, inode, as the pending source mark writes it; the hash is
/// not known before the upload ends), its size and the part size all match.
public actor UploadJournal {
    struct Upload: Codable, Equatable {
        var address: String
        /// The source's key (named for what 0.1.0 kept there, its SHA-256: such entries no longer match).
        var sourceSHA256: String
        var fileSize: Int64
        var partSize: Int64
        var parts: [ChunkReceipt]
    }

    private let path: String?
    private var uploads: [String: Upload]

    /// A journal stored at `path` (nil: in memory only).
    public init(path: String?) {
        self.path = path
        if let path, let data = FileManager.default.contents(atPath: path),
            let decoded = try? JSONDecoder().decode([String: Upload].self, from: data)
        {
            uploads = decoded
        } else {
            uploads = [:]
        }
    }

    /// Parts already acknowledged for this video, if the journal's entry is for the same bytes.
    public func acknowledged(videoID: String, source: String, fileSize: Int64, partSize: Int64) -> Set<ChunkReceipt> {
        guard let entry = uploads[videoID], entry.sourceSHA256 == source, entry.fileSize == fileSize,
            entry.partSize == partSize
        else { return [] }
        return Set(entry.parts)
    }

    /// Starts (or restarts) the entry of an upload.
    public func begin(videoID: String, address: String, source: String, fileSize: Int64, partSize: Int64) throws {
        if let entry = uploads[videoID], entry.sourceSHA256 == source, entry.fileSize == fileSize,
            entry.partSize == partSize
        {
            return
        }
        uploads[videoID] = Upload(address: address, sourceSHA256: source, fileSize: fileSize, partSize: partSize, parts: [])
        try save()
    }

    /// Records one acknowledged part, durably, before the upload moves on.
    public func record(videoID: String, receipt: ChunkReceipt) throws {
        guard var entry = uploads[videoID] else { return }
        entry.parts.removeAll { $0.chunk.index == receipt.chunk.index }
        entry.parts.append(receipt)
        uploads[videoID] = entry
        try save()
    }

    /// Forgets an upload once AIOZ has completed it (or the video is gone).
    public func finish(videoID: String) throws {
        guard uploads.removeValue(forKey: videoID) != nil else { return }
        try save()
    }

    private func save() throws {
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(uploads), to: path)
    }
}
