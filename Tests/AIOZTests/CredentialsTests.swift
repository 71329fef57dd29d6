import Foundation
import Testing

@testable import AIOZ

@Suite("Credentials")
struct CredentialsTests {
    static let secret = "sk_live_0123456789abcdefSECRET"

    func writeTemporary(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aioz-creds-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
        return path
    }

    @Test("a group- or world-readable credentials file is refused with chmod 600 advice", arguments: [0o644, 0o640, 0o604])
    func refusesReadableFile(mode: Int) throws {
        let path = try writeTemporary("public_key = pk\nsecret_key = \(Self.secret)\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: AIOZError.self) { try AIOZCredentials.load(file: path) }
        #expect(error?.description.contains("chmod 600 \(path)") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test("a 600 credentials file is read")
    func readsPrivateFile() throws {
        let path = try writeTemporary("# AIOZ\npublic_key = pk_1\nsecret_key = \"\(Self.secret)\"\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials = try AIOZCredentials.load(file: path)
        #expect(credentials == AIOZCredentials(publicKey: "pk_1", secretKey: Self.secret))
    }

    @Test("a symlink to a 600 file is judged by its target")
    func symlink() throws {
        let path = try writeTemporary("public_key = pk\nsecret_key = \(Self.secret)\n", mode: 0o600)
        let link = path + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { for item in [path, link] { try? FileManager.default.removeItem(atPath: item) } }
        #expect(try AIOZCredentials.load(file: link).publicKey == "pk")
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: 0o644)], ofItemAtPath: path)
        #expect(throws: AIOZError.self) { try AIOZCredentials.load(file: link) }
    }

    @Test("a missing file says so")
    func missing() {
        let error = #expect(throws: AIOZError.self) { try AIOZCredentials.load(file: "/nonexistent/aioz-credentials") }
        #expect(error?.description.contains("/nonexistent/aioz-credentials") == true)
    }

    @Test("a malformed file names the line and never echoes the secret")
    func malformed() throws {
        let error = #expect(throws: AIOZError.self) {
            try AIOZCredentials.parse("secret_key = \(Self.secret)\nbogus\n", source: "creds")
        }
        #expect(error?.description.contains("creds:2") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test("keys come from STREAM_PUBLIC_KEY and STREAM_SECRET_KEY")
    func environment() throws {
        let credentials = try AIOZCredentials.fromEnvironment(["STREAM_PUBLIC_KEY": "pk", "STREAM_SECRET_KEY": Self.secret])
        #expect(credentials.secretKey == Self.secret)
        let error = #expect(throws: AIOZError.self) { try AIOZCredentials.fromEnvironment(["STREAM_PUBLIC_KEY": "pk"]) }
        #expect(error?.description.contains("STREAM_SECRET_KEY") == true)
    }

    @Test("description, debugDescription and dump mask the secret")
    func masking() {
        let credentials = AIOZCredentials(publicKey: "pk", secretKey: Self.secret)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [
            credentials.description, credentials.debugDescription, String(reflecting: credentials), "\(credentials)", dumped,
        ] {
            #expect(!text.contains(Self.secret))
            #expect(text.contains("pk"))
        }
    }

    @Test("a live stream key's stream_key and rtmp_url are masked in every textual form")
    func liveStreamKeyMasking() throws {
        let json =
            #"{"id":"k1","name":"main","save":true,"stream_key":"sk-abcdef-0123456789","rtmp_url":"rtmp://ingest.example/live/sk-abcdef-0123456789"}"#
        let key = try JSONDecoder().decode(LiveStreamKey.self, from: Data(json.utf8))
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains("sk-abcdef-0123456789"))
            #expect(text.contains("main"))
        }
        #expect(key.streamKey == "sk-abcdef-0123456789")
    }
}

@Suite("Credentials that are not what they should be")
struct OddCredentialsTests {
    static let secret = "sk \"quoted\"\nsecond line"

    @Test("a credentials file with CRLF line ends is read")
    func crlf() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aioz-crlf-\(UUID().uuidString)").path
        try "# keys\r\npublic_key = pk_crlf\r\nsecret_key = sk_crlf_0001\r\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: 0o600)], ofItemAtPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials = try AIOZCredentials.load(file: path)
        #expect(credentials.publicKey == "pk_crlf" && credentials.secretKey == "sk_crlf_0001")
    }

    @Test("a directory given as the credentials file says so")
    func directory() throws {
        let error = #expect(throws: AIOZError.self) {
            try AIOZCredentials.load(file: FileManager.default.temporaryDirectory.path)
        }
        #expect(error?.description.contains("is a directory") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("readable by other users") == false)
    }

    @Test("a key with a line break is refused without repeating it")
    func controlCharacters() throws {
        let error = #expect(throws: AIOZError.self) {
            try AIOZCredentials.fromEnvironment(["STREAM_PUBLIC_KEY": "pk", "STREAM_SECRET_KEY": Self.secret])
        }
        let text = error?.description ?? ""
        #expect(text.contains("STREAM_SECRET_KEY contains a line break or another control character"), "\(text)")
        #expect(!text.contains("second line") && !text.contains("quoted"))
    }

    @Test("redaction replaces a registered secret in raw, escaped and percent-encoded forms")
    func redaction() {
        let secret = "sk \"quo ted\"\nnext-\(UUID().uuidString)"
        Redaction.register(secret)
        for form in [secret, String(reflecting: secret), "invalidHeaderFieldValues([\(String(reflecting: secret))])"] {
            let redacted = Redaction.redact("error: \(form) failed")
            #expect(!redacted.contains("next-"), "\(redacted)")
            #expect(redacted.contains("********"))
        }
    }
}
