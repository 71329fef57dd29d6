import Foundation
import Hummingbird

/// `/videos/{id}/captions…` and `/videos/{id}/chapters…` (and under `/media`): list (paged), upload a
/// WebVTT file per language (multipart `file`; 400 unless it is WebVTT), delete, and for captions set
/// the default (`PATCH`, multipart `is_default`, or no body: the default).
struct TextTrackRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>, family: String) {
        let group = router.group(RouterPath(family))
        let prefix = family.hasSuffix("media") ? "media" : "video"
        for kind in ["caption", "chapter"] {
            let plural = kind + "s"
            group.get(":id/\(plural)") { request, context in
                let account = try context.requireAccount()
                let id = try requireID(context, what: "video")
                let query = request.uri.queryParameters
                let paging = try Paging(
                    offset: try Self.integer(query["offset"].map(String.init), "offset"),
                    limit: try Self.integer(query["limit"].map(String.init), "limit"), orderBy: nil, defaultAscending: true)
                let all = try await env.store.textTracks(account, videoID: id, kind: kind)
                let views = paging.page(all).map { view($0, family: family) }
                return try JSONResponse.data(TrackPage(key: "\(prefix)_\(plural)", items: views, total: all.count))
            }
            group.post(":id/\(plural)/:lan") { request, context in
                let account = try context.requireAccount()
                let id = try requireID(context, what: "video")
                let language = try Self.language(context)
                let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: Self.maxFileBytes)
                guard let file = form.file else { throw APIError.badRequest("file is required (a WebVTT .vtt file).") }
                defer { try? FileManager.default.removeItem(atPath: file.temporaryPath) }
                let content = try Data(contentsOf: URL(fileURLWithPath: file.temporaryPath))
                if let problem = Self.webVTTProblem(content) { throw APIError.badRequest(problem) }
                let stored = try await env.store.putTextTrack(
                    account, videoID: id, kind: kind, language: language, content: content)
                return try JSONResponse.data(
                    CreatedTrack(key: "\(prefix)_\(kind)", item: view(stored, family: family)), status: .created)
            }
            group.delete(":id/\(plural)/:lan") { _, context in
                let account = try context.requireAccount()
                try await env.store.deleteTextTrack(
                    account, videoID: try requireID(context, what: "video"), kind: kind, language: try Self.language(context))
                return JSONResponse.message("Delete \(kind) successfully.")
            }
        }
        group.patch(":id/captions/:lan") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "video")
            let language = try Self.language(context)
            // AIOZ's Go SDK (`SetDefaultCaption`) sends no body at all, with `Content-Type:
            // application/json`: an empty body, whatever its type, makes the caption the default.
            var request = request
            let value: Bool
            if try await request.collectBody(upTo: Self.maxFormBytes).readableBytes == 0 {
                value = true
            } else {
                let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: 0)
                if let file = form.file { try? FileManager.default.removeItem(atPath: file.temporaryPath) }
                guard let text = form.fields["is_default"], let parsed = Bool(text.lowercased()) else {
                    throw APIError.badRequest("is_default is required: true or false (or send no body: true).")
                }
                value = parsed
            }
            try await env.store.setDefaultCaption(account, videoID: id, language: language, isDefault: value)
            return JSONResponse.message("Set default caption successfully.")
        }
    }

    static let maxFileBytes = 16 << 20
    /// The largest body `PATCH …/captions/{lan}` reads (a form with one small field).
    static let maxFormBytes = 64 << 10

    static func integer(_ text: String?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("\(name) must be an integer.") }
        return value
    }

    /// `lan`: a language tag, letters, digits and '-', 1 to 35 characters [inferred: AIOZ documents a string].
    static func language(_ context: SandboxContext) throws -> String {
        let raw = try context.parameters.require("lan")
        guard (1...35).contains(raw.count),
            raw.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else { throw APIError.badRequest("'\(raw)' is not a language code (letters, digits and '-', e.g. en or pt-BR).") }
        return raw
    }

    /// Why `content` is not a WebVTT file, or nil: UTF-8, starting with the `WEBVTT` line.
    static func webVTTProblem(_ content: Data) -> String? {
        guard var text = String(data: content, encoding: .utf8) else {
            return "The file must be a WebVTT (.vtt) file: it is not UTF-8 text."
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let first = text.prefix { $0 != "\n" && $0 != "\r" && $0 != "\r\n" }
        guard first == "WEBVTT" || first.hasPrefix("WEBVTT ") || first.hasPrefix("WEBVTT\t") else {
            return "The file must be a WebVTT (.vtt) file: its first line must be WEBVTT."
        }
        return nil
    }

    func view(_ track: StoredTextTrack, family: String) -> TrackView {
        TrackView(track, apiBase: env.apiBase())
    }
}

/// `VideoCaption`/`MediaCaption` (`description`, `is_default`, `language`, `status`, `url`) or
/// `VideoChapter`/`MediaChapter` (`language`, `url`).
struct TrackView: Encodable, Sendable {
    let language: String
    let url: String
    let caption: Bool
    let isDefault: Bool

    /// The track's file is served (without keys) at `{apiBase}/videos/{id}/{kind}s/{language}.vtt`.
    init(_ track: StoredTextTrack, apiBase: String) {
        language = track.language
        url = "\(apiBase)/videos/\(track.videoID)/\(track.kind)s/\(track.language).vtt"
        caption = track.kind == "caption"
        isDefault = track.isDefault
    }

    enum CodingKeys: String, CodingKey {
        case language, url, description, status
        case isDefault = "is_default"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(language, forKey: .language)
        try c.encode(url, forKey: .url)
        guard caption else { return }
        try c.encode(isDefault, forKey: .isDefault)
        // The upload takes no description here: AIOZ's `RequestCreateCaption` has one, the upload's form does not.
        try c.encode("", forKey: .description)
        try c.encode("done", forKey: .status)
    }
}

/// `{total, video_captions|media_captions|…: [...]}`; an empty list is `null`, as Go encodes it.
struct TrackPage: Encodable, Sendable {
    let key: String
    let items: [TrackView]
    let total: Int

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Page<TrackView>.AnyKey.self)
        try c.encode(items.isEmpty ? nil : items, forKey: .init(stringValue: key))
        try c.encode(total, forKey: .init(stringValue: "total"))
    }
}

/// `{video_caption: {...}}` and the like.
struct CreatedTrack: Encodable, Sendable {
    let key: String
    let item: TrackView

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Page<TrackView>.AnyKey.self)
        try c.encode(item, forKey: .init(stringValue: key))
    }
}
