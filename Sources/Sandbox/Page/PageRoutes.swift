import Foundation
import Hummingbird
import NIOCore

/// What a person looks at: the account page at `/`, the player page behind every `*_player_url`, and
/// minimal HLS and DASH documents at `hls_url` and `dash_url`, so every link the sandbox gives out for
/// a video resolves. The page needs the account's keys (HTTP Basic: public key as the user name, secret
/// key as the password, or the API's key headers); players and playlists are public, as AIOZ's are.
struct PageRoutes {
    let env: SandboxEnvironment

    /// `families`: the video API's path families (`api/videos`, `api/media`).
    func register(on router: Router<SandboxContext>, families: [String]) {
        router.get("/") { _, context in try await accountPage(context) }
        router.get("api/_sandbox/embed/:id/:kind") { _, context in try await player(context) }
        for family in families {
            let group = router.group(RouterPath(family))
            group.get(":id/m3u8") { _, context in try await playlist(context, dash: false) }
            group.get(":id/manifest") { _, context in try await playlist(context, dash: true) }
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 401 for the page: browsers ask for the keys (`WWW-Authenticate: Basic`).
    static func unauthorized() throws -> Response {
        var response = html(try PageTemplates.render("unauthorized", [String: String]()), status: .unauthorized)
        response.headers[.wwwAuthenticate] = #"Basic realm="streamplan sandbox", charset="UTF-8""#
        return response
    }

    func accountPage(_ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let snapshot = try await env.store.snapshot(account)
        let model = AccountPageModel(
            publicKey: account, snapshot: snapshot, now: Timestamp.now(), transcodeSeconds: env.transcodeSeconds)
        var response = Self.html(try PageTemplates.render("account", model))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `hls_player_url` and `dash_player_url`: a page with a `<video>` of the source (nothing is transcoded).
    func player(_ context: SandboxContext) async throws -> Response {
        let id = try requireID(context, what: "video")
        guard let video = env.store.anyVideo(id), ["hls", "dash"].contains(context.parameters.get("kind") ?? ""),
            video.completedAt != nil, !video.assembling
        else { throw APIError.notFound("Player not found.") }
        let model: [String: String] = ["title": video.title, "sourceURL": "/api/videos/\(id)/source"]
        return Self.html(try PageTemplates.render("player", model))
    }

    /// `hls_url` and `dash_url` once done: a valid playlist (HLS) or presentation (DASH) with no
    /// segments, since the sandbox transcodes nothing; a comment in it names the source's URL.
    func playlist(_ context: SandboxContext, dash: Bool) async throws -> Response {
        let id = try requireID(context, what: "video")
        guard let video = env.store.anyVideo(id),
            video.status(now: Timestamp.now(), transcodeSeconds: env.transcodeSeconds) == "done"
        else { throw APIError.notFound("Asset not found.") }
        let source = "\(env.apiBase())/videos/\(id)/source"
        let text: String
        let type: String
        if dash {
            type = "application/dash+xml"
            text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- streamplan sandbox: nothing is transcoded, so this presentation has no representations. \
                The uploaded source plays at \(source) -->
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" \
                minBufferTime="PT1S" mediaPresentationDuration="PT\(String(format: "%.3f", video.duration))S">
                  <Period id="0"/>
                </MPD>

                """
        } else {
            type = "application/vnd.apple.mpegurl"
            text = """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:1
                #EXT-X-PLAYLIST-TYPE:VOD
                # streamplan sandbox: nothing is transcoded, so this playlist has no segments.
                # The uploaded source plays at \(source)
                #EXT-X-ENDLIST

                """
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
