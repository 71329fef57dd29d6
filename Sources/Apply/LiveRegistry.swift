import AIOZ
import Foundation
import Planning

/// The project's live registry on AIOZ: one or more private, never-uploaded videos (status `new`)
/// whose metadata maps manifest addresses to live stream key and streaming ids.
///
/// Keys and streamings have no metadata field, so this is where streamplan proves it created them.
/// The registry videos carry `streamplan.registry = PROJECT` and never `streamplan.project`, so the
/// video planner and `Observer` never see them. AIOZ allows 50 metadata pairs: each registry video
/// keeps 2 for itself and holds up to 48 entries; more chain into further registry videos (pages).
public actor LiveRegistry {
    public static let marker = "streamplan.registry"
    public static let pageKey = "streamplan.registry_page"
    public static let capacity = 48

    struct Page {
        var videoID: String
        var number: Int
        var entries: [String: String]
    }

    let client: AIOZClient
    public let project: String
    private var pages: [Page]

    init(client: AIOZClient, project: String, pages: [Page]) {
        self.client = client
        self.project = project
        self.pages = pages
    }

    /// Reads the registry pages of `project` (none yet: an empty registry).
    public static func load(project: String, client: AIOZClient) async throws -> LiveRegistry {
        LiveRegistry(client: client, project: project, pages: try await readPages(project: project, client: client))
    }

    static func readPages(project: String, client: AIOZClient) async throws -> [Page] {
        var query = VideoListQuery()
        query.limit = 100
        query.metadata = [MetadataPair(key: marker, value: project)]
        let videos = try await client.allVideos(query).filter { video in
            video.metadata.contains { $0.key == marker && $0.value == project }
                && !video.metadata.contains { $0.key == OwnershipMark.project }
        }
        return videos.map { video in
            var entries: [String: String] = [:]
            var number = 1
            for pair in video.metadata {
                if pair.key == pageKey { number = Int(pair.value) ?? 1 }
                else if pair.key != marker { entries[pair.key] = pair.value }
            }
            return Page(videoID: video.id, number: number, entries: entries)
        }.sorted { ($0.number, $0.videoID) < ($1.number, $1.videoID) }
    }

    /// Everything the registry records (an address on two pages: the first page wins).
    public var entries: LiveRegistryEntries {
        var all: [String: String] = [:]
        for page in pages {
            for (key, value) in page.entries where all[key] == nil { all[key] = value }
        }
        return LiveRegistryEntries(all)
    }

    /// Records `value` (an id, or a pending mark) for `address`; nil forgets it.
    public func set(_ address: String, _ value: String?) async throws {
        if let index = pages.firstIndex(where: { $0.entries[address] != nil }) {
            var page = pages[index]
            page.entries[address] = value
            try await write(page)
            pages[index] = page
            // An address is on one page only.
            for other in pages.indices where other != index && pages[other].entries[address] != nil {
                var duplicate = pages[other]
                duplicate.entries[address] = nil
                try await write(duplicate)
                pages[other] = duplicate
            }
            return
        }
        guard let value else { return }
        if let index = pages.firstIndex(where: { $0.entries.count < Self.capacity }) {
            var page = pages[index]
            page.entries[address] = value
            try await write(page)
            pages[index] = page
            return
        }
        let number = (pages.map(\.number).max() ?? 0) + 1
        let page = try await createPage(number: number, entries: [address: value])
        pages.append(page)
    }

    /// Marks `address` as being created now (unix seconds), before the create request is sent.
    public func markPending(_ address: String, at date: Date = Date()) async throws {
        try await set(address, LiveRegistryEntries.pendingPrefix + String(Int(date.timeIntervalSince1970)))
    }

    private func metadata(_ page: Page) -> [MetadataPair] {
        [MetadataPair(key: Self.marker, value: project), MetadataPair(key: Self.pageKey, value: String(page.number))]
            + page.entries.keys.sorted().map { MetadataPair(key: $0, value: page.entries[$0]!) }
    }

    private func write(_ page: Page) async throws {
        try await client.updateVideo(id: page.videoID, VideoUpdateRequest(metadata: metadata(page)))
    }

    private func createPage(number: Int, entries: [String: String]) async throws -> Page {
        var page = Page(videoID: "", number: number, entries: entries)
        let request = VideoCreateRequest(
            title: "streamplan registry of project \(project) (page \(number)); do not delete",
            description: "Records which live stream keys and streamings streamplan manages for project \(project). "
                + "Never uploaded. Deleting it makes streamplan forget them (they are then left alone).",
            isPublic: false, metadata: metadata(page))
        do {
            page.videoID = try await client.createVideo(request).id
        } catch let error as AIOZError where error.code == .outcomeUnknown {
            // The answer was lost: the page may exist. Look before creating a second one.
            if let found = try await Self.readPages(project: project, client: client).first(where: { $0.number == number }) {
                page.videoID = found.videoID
                try await write(page)
            } else {
                page.videoID = try await client.createVideo(request).id
            }
        }
        return page
    }
}
