import Foundation
import YAMLNodes

/// `live_streams: KEY: restream: NAME: {url}`.
extension FragmentDecoder {
    mutating func restream(_ name: String, of stream: String, key: YAMLNode, node: YAMLNode) -> RestreamSpec? {
        let what = "live_stream.\(stream).restream.\(name)"
        guard let f = reader.mapping(node, allowed: ["url"], what: what) else { return nil }
        guard let u = f["url"] else {
            reader.error(
                "\(what) is missing url (the destination's rtmp:// URL, its stream key written as ${NAME}: "
                    + "rtmp://a.rtmp.youtube.com/live2/${YOUTUBE_STREAM_KEY})",
                at: f.firstKeyNode)
            return nil
        }
        guard let written = reader.string(u, what: "url") else { return nil }
        if let problem = RestreamURL.literalKeyProblem(written) {
            // Never the written URL itself: it holds the key.
            reader.error(
                "url of \(what): \(problem). A restream destination's stream key is a secret and manifests live in git: "
                    + "write it as ${NAME} (e.g. rtmp://a.rtmp.youtube.com/live2/${YOUTUBE_STREAM_KEY}) and set the "
                    + "environment variable NAME",
                at: u)
            return nil
        }
        guard let expanded = expandVariables(written, at: u) else { return nil }
        if let problem = RestreamURL.problem(expanded) {
            reader.error("url \"\(RestreamURL.masked(written))\" \(problem)", at: u)
            return nil
        }
        return RestreamSpec(name: name, liveStream: stream, url: expanded, writtenURL: written, location: reader.location(key))
    }
}
