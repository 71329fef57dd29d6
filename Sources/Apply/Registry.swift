import Foundation
import Manifest
public import Planning
public import Providers

/// The project's registry on the account: one or more private, never-uploaded videos (status
/// `new`) whose metadata maps manifest addresses to the ids of objects that carry no metadata of
/// their own (live stream keys, streamings). See docs/design.md.
///
/// The registry videos carry `streamplan.registry = PROJECT` and never `streamplan.project`, so the
/// video kind never sees them. A video allows 50 metadata pairs: each page keeps 2 for itself and
/// holds up to 48 entries; more chain into further pages.
public actor Registry {
    public static let marker = "streamplan.registry"
    public static let pageKey = "streamplan.registry_page"
    public static let capacity = 48

    struct Page {
        var videoID: String
        var number: Int
        var entries: [String: String]
    }

    let provider: any Provider
    public let project: String
    private var pages: [Page]

    init(provider: any Provider, project: String, pages: [Page]) {
        self.provider = provider
        self.project = project
        self.pages = pages
    }

    /// Reads the registry pages of `project` (none yet: an empty registry).
    public static func load(project: String, provider: any Provider) async throws -> Registry {
        Registry(provider: provider, project: project, pages: try await readPages(project: project, provider: provider))
    }

    static func readPages(project: String, provider: any Provider) async throws -> [Page] {
        let videos = try await provider.videos(markedWith: [MetadataEntry(key: marker, value: project)])
            .filter { $0.mark(OwnershipMark.project) == nil }
        return videos.map { video in
            var entries: [String: String] = [:]
            var number = 1
            for pair in video.metadata {
                if pair.key == pageKey {
                    number = Int(pair.value) ?? 1
                } else if pair.key != marker {
                    entries[pair.key] = pair.value
                }
            }
            return Page(videoID: video.id, number: number, entries: entries)
        }.sorted { ($0.number, $0.videoID) < ($1.number, $1.videoID) }
    }

    /// Everything the registry records (an address on two pages: the first page wins).
    public var entries: RegistryEntries {
        var all: [String: String] = [:]
        for page in pages {
            for (key, value) in page.entries where all[key] == nil { all[key] = value }
        }
        return RegistryEntries(all)
    }

    /// Records `value` (an id, or a pending mark) for `address`; nil forgets it.
    public func set(_ address: Address, _ value: String?) async throws {
        try await set(key: address.description, value)
    }

    /// Renames keys in place (`renamed(key)` → the new key, nil to keep it), one write per page
    /// touched, so a page never holds both names (a move: the entry and those under it).
    public func rename(_ renamed: (String) -> String?) async throws {
        for index in pages.indices {
            var page = pages[index]
            var changed = false
            for (key, value) in page.entries {
                guard let new = renamed(key) else { continue }
                page.entries[key] = nil
                page.entries[new] = value
                changed = true
            }
            guard changed else { continue }
            try await write(page)
            pages[index] = page
        }
    }

    /// Records `value` under a key that need not be an address (a protection record); nil forgets it.
    public func set(key: String, _ value: String?) async throws {
        if let index = pages.firstIndex(where: { $0.entries[key] != nil }) {
            var page = pages[index]
            page.entries[key] = value
            try await write(page)
            pages[index] = page
            // An address is on one page only.
            for other in pages.indices where other != index && pages[other].entries[key] != nil {
                var duplicate = pages[other]
                duplicate.entries[key] = nil
                try await write(duplicate)
                pages[other] = duplicate
            }
            return
        }
        guard let value else { return }
        if let index = pages.firstIndex(where: { $0.entries.count < Self.capacity }) {
            var page = pages[index]
            page.entries[key] = value
            try await write(page)
            pages[index] = page
            return
        }
        let number = (pages.map(\.number).max() ?? 0) + 1
        pages.append(try await createPage(number: number, entries: [key: value]))
    }

    /// Marks `address` as being created now (unix seconds), before the create request is sent.
    public func markPending(_ address: Address, at date: Date = Date()) async throws {
        try await set(address, RegistryEntries.pendingPrefix + String(Int(date.timeIntervalSince1970)))
    }

    private func metadata(_ page: Page) -> [MetadataEntry] {
        [MetadataEntry(key: Self.marker, value: project), MetadataEntry(key: Self.pageKey, value: String(page.number))]
            + page.entries.keys.sorted().map { MetadataEntry(key: $0, value: page.entries[$0]!) }
    }

    private func write(_ page: Page) async throws {
        try await provider.updateVideo(id: page.videoID, VideoPatch(metadata: metadata(page)))
    }

    private func createPage(number: Int, entries: [String: String]) async throws -> Page {
        var page = Page(videoID: "", number: number, entries: entries)
        let video = NewVideo(
            title: "streamplan registry of project \(project) (page \(number)); do not delete",
            description: "Records which live stream keys and streamings streamplan manages for project \(project). "
                + "Never uploaded. Deleting it makes streamplan forget them (they are then left alone).",
            isPublic: false, metadata: metadata(page), qualities: NewVideo.neverUploadedQualities)
        let project = project
        let provider = provider
        let made = try await CreateOnce.run(
            create: { try await provider.createVideo(video) },
            find: {
                try await Self.readPages(project: project, provider: provider).first { $0.number == number }?.videoID
            })
        page.videoID = made.id
        // A page found after a lost answer may hold older entries: write this one's.
        if made.found { try await write(page) }
        return page
    }
}

/// The registry of one apply, read on first use.
public actor RegistryHandle {
    let project: String
    let provider: any Provider
    private var loaded: Registry?

    init(project: String, provider: any Provider) {
        self.project = project
        self.provider = provider
    }

    public func registry() async throws -> Registry {
        if let loaded { return loaded }
        let registry = try await Registry.load(project: project, provider: provider)
        loaded = registry
        return registry
    }
}

/// "Create, and if the answer is lost, look before creating again": the one rule that keeps a lost
/// answer from making a second object.
enum CreateOnce {
    /// Runs `create`; when its outcome is unknown, returns what `find` finds (`found`), else creates
    /// once more.
    static func run(create: () async throws -> String, find: () async throws -> String?) async throws
        -> (id: String, found: Bool)
    {
        do {
            return (try await create(), false)
        } catch  where error.remoteFailure == .outcomeUnknown {
            if let found = try await find() { return (found, true) }
            return (try await create(), false)
        }
    }

    /// Like `run`, but when the object is not found after a lost answer, fails with `lostAnswer`
    /// instead of creating again (objects whose duplicates would carry secrets: live keys).
    static func adopting(create: () async throws -> String, find: () async throws -> String?, lostAnswer: String)
        async throws -> String
    {
        do {
            return try await create()
        } catch  where error.remoteFailure == .outcomeUnknown {
            if let found = try await find() { return found }
            throw ApplyError(lostAnswer)
        }
    }
}
