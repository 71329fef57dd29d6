import Mustache

/// The sandbox's HTML, as Mustache templates compiled into the binary (no resource files to ship).
/// `{{name}}` escapes `& < > " '`, so every string from the store is safe in text and in attributes;
/// no template uses the unescaped `{{{…}}}` form.
enum PageTemplates {
    /// The compiled templates, or why one did not compile (a bug the page tests catch: the page then
    /// answers 500 with the reason instead of the server stopping).
    static let library: Result<MustacheLibrary, any Error> = Result {
        var library = MustacheLibrary()
        try library.register(playbackScript, named: "playback-script")
        try library.register(account, named: "account")
        try library.register(player, named: "player")
        try library.register(unauthorized, named: "unauthorized")
        return library
    }

    static func render(_ name: String, _ model: Any) throws -> String {
        let library: MustacheLibrary
        do {
            library = try Self.library.get()
        } catch {
            throw APIError(status: .internalServerError, message: "The sandbox page's templates do not compile: \(error).")
        }
        guard let text = library.render(model, withTemplate: name) else {
            throw APIError(status: .internalServerError, message: "The sandbox page has no template \(name).")
        }
        return text
    }

    /// Marks each `<video>` with how far it got (`data-state`: `metadata`, `canplay` or `error`), so a
    /// headless browser's DOM dump can tell whether the media plays (scripts/check-sandbox-page.sh).
    static let playbackScript = """
        <script>
        for (const v of document.querySelectorAll("video")) {
          const mark = () => {
            if (v.error) v.dataset.state = "error";
            else if (v.readyState >= 3) v.dataset.state = "canplay";
            else if (v.readyState >= 1 && v.dataset.state !== "canplay") v.dataset.state = "metadata";
          };
          for (const e of ["loadedmetadata", "loadeddata", "canplay", "canplaythrough", "error"]) v.addEventListener(e, mark);
          mark();
        }
        </script>
        """

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2433}
        header{background:#1d2433;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
        header p{margin:4px 0 0;color:#c8cdd8}main{padding:16px 24px}h2{margin:24px 0 8px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:14px}
        .card{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:12px;overflow-wrap:anywhere}
        .card h3{margin:0 0 6px;font-size:16px}.media{display:flex;gap:10px;margin:6px 0}
        .media img,.noimg{width:96px;height:54px;object-fit:cover;border-radius:4px;background:#dde1e8;flex:none}
        .noimg{display:flex;align-items:center;justify-content:center;color:#667;font-size:12px}
        video{width:100%;max-height:170px;background:#000;border-radius:4px;margin-top:4px}
        .status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#dde1e8}
        .status.done,.status.streaming{background:#c9f2d4}.status.transcoding,.status.created{background:#fdf0c2}
        .status.fail{background:#f9d0d0}dl{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:2px 10px;margin:6px 0}
        dt{color:#667;overflow-wrap:anywhere}dd{margin:0;min-width:0}.tag{background:#e8ecf5;border-radius:4px;padding:0 5px;margin-right:4px}
        code{font-size:12px}summary{color:#667;cursor:pointer}.card p{margin:4px 0}.links a{margin-right:10px}.empty{color:#667}table{border-collapse:collapse;width:100%}
        td,th{text-align:left;padding:3px 8px 3px 0;border-bottom:1px solid #eee;font-weight:normal;vertical-align:top}th{color:#667}
        td,th{overflow-wrap:normal;word-break:normal;hyphens:none}th,td .status{white-space:nowrap}td code{overflow-wrap:anywhere}
        .key table{font-size:12px}.key td,.key th{padding-right:4px}.key td .status{padding:1px 5px}
        .records{margin:14px 0;color:#667}.records ul{margin:6px 0;padding-left:20px}
        .track{margin-right:8px}.items{margin:6px 0;padding-left:22px}
        """

    static let account = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>streamplan sandbox · {{publicKey}}</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1>streamplan sandbox</h1>
        <p>Account <code>{{publicKey}}</code> · user {{userID}} · balance {{balance}} · a local emulator of AIOZ Stream, not a real account</p>
        </header>
        <main>
        <h2 id="videos">Videos ({{videoCount}})</h2>
        {{^videos}}<p class="empty">No videos yet. <code>streamplan apply --sandbox</code> uploads the examples.</p>{{/videos}}
        <div class="grid">
        {{#videos}}
        <article class="card video" id="video-{{id}}" data-video-id="{{id}}">
        <h3 class="title">{{title}}</h3>
        <div class="media">
        {{#thumbnailURL}}<img src="{{thumbnailURL}}" alt="thumbnail of {{title}}">{{/thumbnailURL}}
        {{^thumbnailURL}}<div class="noimg">no thumbnail</div>{{/thumbnailURL}}
        <div>
        <span class="status {{status}}">{{status}}</span>
        {{#description}}<p>{{description}}</p>{{/description}}
        </div>
        </div>
        {{#sourceURL}}<video controls preload="metadata" src="{{sourceURL}}" data-video-id="{{id}}"></video>{{/sourceURL}}
        {{^sourceURL}}<p class="empty">No source yet: the upload is not complete.</p>{{/sourceURL}}
        <dl>
        <dt>id</dt><dd><code>{{id}}</code></dd>
        <dt>type</dt><dd>{{type}}{{#isPublic}}, public{{/isPublic}}{{^isPublic}}, private{{/isPublic}}</dd>
        {{#duration}}<dt>duration</dt><dd>{{duration}}</dd>{{/duration}}
        {{#size}}<dt>size</dt><dd>{{size}}</dd>{{/size}}
        <dt>qualities</dt><dd>{{qualities}}</dd>
        {{#watermark}}<dt>watermark</dt><dd class="watermark">{{watermark}}</dd>{{/watermark}}
        {{#segmentDuration}}<dt>segments</dt><dd>{{segmentDuration}}</dd>{{/segmentDuration}}
        {{#hasTags}}<dt>tags</dt><dd>{{#tags}}<span class="tag">{{.}}</span>{{/tags}}</dd>{{/hasTags}}
        {{#recordingOf}}<dt>recording of</dt><dd>live key {{recordingOf}}</dd>{{/recordingOf}}
        {{#player}}<dt>player</dt><dd class="player">{{player}}</dd>{{/player}}
        {{#hasCaptions}}<dt>captions</dt><dd class="captions">{{#captions}}<a class="track" href="{{url}}">{{language}}{{#isDefault}} (default){{/isDefault}}</a>{{/captions}}</dd>{{/hasCaptions}}
        {{#hasChapters}}<dt>chapters</dt><dd class="chapters">{{#chapters}}<a class="track" href="{{url}}">{{language}}</a>{{/chapters}}</dd>{{/hasChapters}}
        <dt>created</dt><dd>{{created}}</dd>
        <dt>updated</dt><dd>{{updated}}</dd>
        </dl>
        {{#hasMetadata}}<details><summary>metadata ({{metadataCount}})</summary><dl>
        {{#metadata}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/metadata}}
        </dl></details>{{/hasMetadata}}
        <p class="links">{{#links}}<a href="{{url}}">{{name}}</a>{{/links}}</p>
        </article>
        {{/videos}}
        </div>
        {{#hasRecords}}<details class="records"><summary>streamplan's own records ({{recordCount}}): private, never
        uploaded; where streamplan keeps what it manages on this account. Not videos to watch.</summary><ul>
        {{#records}}<li><code>{{id}}</code> {{title}}</li>{{/records}}
        </ul></details>{{/hasRecords}}
        <h2 id="live">Live stream keys ({{keyCount}})</h2>
        {{^keys}}<p class="empty">No live stream keys.</p>{{/keys}}
        <div class="grid">
        {{#keys}}
        <article class="card key" data-key-id="{{id}}">
        <h3 class="name">{{name}}</h3>
        {{#broadcasting}}<span class="status streaming">broadcasting</span>{{/broadcasting}}
        <dl>
        <dt>id</dt><dd><code>{{id}}</code></dd>
        <dt>type</dt><dd>{{type}}</dd>
        <dt>save</dt><dd>{{save}}</dd>
        <dt>stream key</dt><dd><code class="stream-key">{{maskedStreamKey}}</code></dd>
        <dt>RTMP URL</dt><dd><code>{{maskedRTMPURL}}</code></dd>
        <dt>created</dt><dd>{{created}}</dd>
        </dl>
        <table>
        <tr><th>streaming</th><th>status</th><th>qualities</th><th>save</th><th>recording</th></tr>
        {{#streamings}}
        <tr class="streaming"><td>{{title}}</td><td><span class="status {{status}}">{{status}}</span></td><td>{{qualities}}</td><td>{{save}}</td><td>{{#videoID}}<a href="#video-{{videoID}}"><code>{{videoID}}</code></a>{{/videoID}}</td></tr>
        {{/streamings}}
        {{^streamings}}<tr><td colspan="5" class="empty">No streamings.</td></tr>{{/streamings}}
        </table>
        </article>
        {{/keys}}
        </div>
        <h2 id="players">Player themes ({{playerCount}})</h2>
        {{^players}}<p class="empty">No player themes.</p>{{/players}}
        <div class="grid">
        {{#players}}
        <article class="card player" data-player-id="{{id}}">
        <h3 class="name">{{name}}</h3>
        {{#isDefault}}<span class="status">default</span>{{/isDefault}}
        <dl>
        <dt>id</dt><dd><code>{{id}}</code></dd>
        {{#theme}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/theme}}
        {{#controls}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/controls}}
        {{#hasLogo}}<dt>logo</dt><dd>uploaded{{#logoLink}}, links to {{logoLink}}{{/logoLink}}</dd>{{/hasLogo}}
        {{#hasVideos}}<dt>used by</dt><dd>{{#videos}}<a href="#video-{{id}}">{{title}}</a> {{/videos}}</dd>{{/hasVideos}}
        <dt>created</dt><dd>{{created}}</dd>
        </dl>
        </article>
        {{/players}}
        </div>
        <h2 id="playlists">Playlists ({{playlistCount}})</h2>
        {{^playlists}}<p class="empty">No playlists.</p>{{/playlists}}
        <div class="grid">
        {{#playlists}}
        <article class="card playlist" data-playlist-id="{{id}}">
        <h3 class="name">{{name}}</h3>
        <dl>
        <dt>id</dt><dd><code>{{id}}</code></dd>
        {{#hasTags}}<dt>tags</dt><dd>{{#tags}}<span class="tag">{{.}}</span>{{/tags}}</dd>{{/hasTags}}
        <dt>created</dt><dd>{{created}}</dd>
        </dl>
        {{#hasMetadata}}<details><summary>metadata ({{metadataCount}})</summary><dl>
        {{#metadata}}<dt>{{key}}</dt><dd>{{value}}</dd>{{/metadata}}
        </dl></details>{{/hasMetadata}}
        <ol class="items">
        {{#items}}<li class="item" data-position="{{position}}"><a href="#video-{{videoID}}">{{title}}</a></li>{{/items}}
        </ol>
        {{^items}}<p class="empty">No videos in this playlist.</p>{{/items}}
        </article>
        {{/playlists}}
        </div>
        <h2 id="webhooks">Webhooks ({{webhookCount}})</h2>
        {{^webhooks}}<p class="empty">No webhooks.</p>{{/webhooks}}
        <div class="grid">
        {{#webhooks}}
        <article class="card webhook" data-webhook-id="{{id}}">
        <h3 class="name">{{name}}</h3>
        <dl>
        <dt>id</dt><dd><code>{{id}}</code></dd>
        <dt>URL</dt><dd><code class="webhook-url">{{maskedURL}}</code></dd>
        <dt>events</dt><dd>{{events}}</dd>
        {{#lastTriggered}}<dt>last called</dt><dd>{{lastTriggered}}</dd>{{/lastTriggered}}
        <dt>created</dt><dd>{{created}}</dd>
        </dl>
        </article>
        {{/webhooks}}
        </div>
        </main>
        {{> playback-script}}
        </body>
        </html>

        """

    static let player = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{title}}</title>
        <style>html,body{margin:0;height:100%;background:#000}video{width:100%;height:100%}</style>
        </head>
        <body>
        <video controls preload="auto" src="{{sourceURL}}" title="{{title}}"></video>
        {{> playback-script}}
        </body>
        </html>

        """

    static let unauthorized = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>streamplan sandbox: sign in</title></head>
        <body style="font:15px system-ui,sans-serif;margin:40px">
        <h1>streamplan sandbox</h1>
        <p>This page shows one account. Sign in with its public key as the user name and its secret key as the
        password: the keys <code>streamplan sandbox</code> printed when it started (for the account of
        <code>--sandbox</code> commands, that is the command they end with).</p>
        </body>
        </html>

        """
}
