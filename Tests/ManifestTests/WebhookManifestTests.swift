import Foundation
import Testing

@testable import Manifest

/// `webhooks:`: syntax, defaults, and every validation rule at its position.
@Suite("webhook manifests")
struct WebhookManifestTests {
    func hook(_ body: String) -> String {
        "project: demo\nwebhooks:\n  encoded:\n" + body
    }

    @Test("a webhook with its defaults: the key as name, events in the API's order")
    func decoded() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            hook("    url: https://hooks.example.com/aioz?token=abc\n    events: [encoding_failed, file_received]\n"))
        #expect(ws.findings(result) == [])
        let spec = try #require(result.manifest?.webhooks.first)
        #expect(spec.name == "encoded")
        #expect(spec.displayName == "encoded")
        #expect(spec.url == "https://hooks.example.com/aioz?token=abc")
        #expect(spec.events == [.fileReceived, .encodingFailed])
        #expect(spec.address == "webhook.encoded")
    }

    @Test("name, and ${NAME} taken from the environment")
    func named() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            hook("    name: Encoding done\n    url: \"https://hooks.example.com/${HOME}/x\"\n    events: [encoding_finished]\n"))
        #expect(ws.findings(result) == [])
        let spec = try #require(result.manifest?.webhooks.first)
        #expect(spec.displayName == "Encoding done")
        #expect(spec.url == "https://hooks.example.com/\(ProcessInfo.processInfo.environment["HOME"] ?? "")/x")
        #expect(spec.writtenURL == "https://hooks.example.com/${HOME}/x")
    }

    @Test(
        "each rule is reported where it is broken",
        arguments: [
            (
                "    url: http://hooks.example.com/x\n    events: [file_received]\n", "m.yaml:4:10",
                "uses plain http to hooks.example.com"
            ),
            ("    url: ftp://hooks.example.com/x\n    events: [file_received]\n", "m.yaml:4:10", "has scheme ftp: use https"),
            ("    url: /relative/path\n    events: [file_received]\n", "m.yaml:4:10", "is not a URL"),
            ("    url: \"javascript:alert(1)\"\n    events: [file_received]\n", "m.yaml:4:10", "url \"javascript:"),
            (
                "    url: https://h.example.com/" + String(repeating: "a", count: 5000) + "\n    events: [file_received]\n",
                "m.yaml:4:10", "bytes long; a webhook URL may have at most 4096"
            ),
            ("    url: \"https://h.example.com/x#frag\"\n    events: [file_received]\n", "m.yaml:4:10", "has a fragment"),
            ("    url: https://h.example.com/x\n    events: [encoding_done]\n", "m.yaml:5:14", "unknown event \"encoding_done\""),
            ("    url: https://h.example.com/x\n    events: []\n", "m.yaml:5:13", "events must name at least one of"),
            (
                "    url: https://h.example.com/x\n    events: [file_received, file_received]\n", "m.yaml:5:29",
                "event file_received is listed twice"
            ),
            ("    events: [file_received]\n", "m.yaml:4:5", "is missing url"),
            ("    url: https://h.example.com/x\n", "m.yaml:4:5", "is missing events"),
            ("    url: https://h.example.com/x\n    events: [file_received]\n    secret: x\n", "m.yaml:6:5", "unknown key"),
            (
                "    url: \"https://h.example.com/${STREAMPLAN_SURELY_UNSET_VAR}\"\n    events: [file_received]\n", "m.yaml:4:10",
                "environment variable STREAMPLAN_SURELY_UNSET_VAR is not set"
            ),
        ])
    func rules(body: String, at: String, says: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(hook(body))
        let findings = ws.findings(result)
        #expect(findings.contains { $0.hasPrefix("\(at): error:") && $0.contains(says) }, "\(findings)")
        #expect(result.manifest == nil)
    }

    @Test("an unknown event lists the five")
    func listsTheFive() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let findings = ws.findings(try ws.load(hook("    url: https://h.example.com/x\n    events: [uploaded]\n")))
        #expect(
            findings.contains {
                $0.contains("Allowed: file_received, encoding_started, encoding_finished, encoding_failed, partial_finished.")
            }, "\(findings)")
    }

    @Test("plain http is allowed to loopback hosts only", arguments: ["127.0.0.1:8080", "127.9.9.9", "[::1]:9000", "localhost"])
    func loopback(host: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(hook("    url: \"http://\(host)/hook\"\n    events: [file_received]\n"))
        #expect(ws.findings(result) == [])
    }

    @Test("an error about a URL never shows a token in it")
    func errorMasks() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let findings = ws.findings(
            try ws.load(hook("    url: \"http://user:pw1234@h.example.com/x?token=tok5678\"\n    events: [file_received]\n")))
        #expect(!findings.isEmpty)
        #expect(!findings.joined().contains("tok5678") && !findings.joined().contains("pw1234"), "\(findings)")
    }

    @Test("a webhook defined twice is refused at the second")
    func twice() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let body = "  encoded:\n    url: https://h.example.com/x\n    events: [file_received]\n"
        let findings = ws.findings(try ws.load("project: demo\nwebhooks:\n" + body + "---\nwebhooks:\n" + body))
        #expect(findings.contains { $0.hasPrefix("m.yaml:8:3: error: webhook.encoded is defined twice") }, "\(findings)")
    }

    @Test("webhooks are refused under aionvision")
    func aionvision() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let findings = ws.findings(
            try ws.load(
                "project: demo\nprovider: aionvision\nwebhooks:\n  encoded:\n    url: https://h.example.com/x\n    events: [file_received]\n"
            ))
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:4:3: error: webhook.encoded: Aionvision has no webhooks") }, "\(findings)")
    }

    @Test(
        "masking: passwords, every query value, and path segments that look like tokens",
        arguments: [
            ("https://user:pass@h.example.com/p?a=1", "https://user:***@h.example.com/p?a=***"),
            ("https://h.example.com/p?token=abc&x=1&API_KEY=z", "https://h.example.com/p?token=***&x=***&API_KEY=***"),
            (
                "https://h.example.com/p?Signature=s&auth_code=c&pw=1&empty=",
                "https://h.example.com/p?Signature=***&auth_code=***&pw=***&empty="
            ),
            ("https://h.example.com:8443/p", "https://h.example.com:8443/p"),
            ("https://tokenonly@h.example.com/", "https://***@h.example.com/"),
            // Azure SAS, Slack and Discord: the secret in a query value, or in the path.
            (
                "https://acct.blob.core.windows.net/c/hook?sv=2022-11-02&sig=AbCd%2Bef0123456789xyz%3D",
                "https://acct.blob.core.windows.net/c/hook?sv=***&sig=***"
            ),
            (
                "https://hooks.slack.com/services/T0A1B2C3D/B0E1F2G3H/abcdefghijklmnopqrstuvwx",
                "https://hooks.slack.com/services/***/***/***"
            ),
            (
                "https://discord.com/api/webhooks/112233445566778899/AbCdEf-GhIjKl_MnOpQrStUv",
                "https://discord.com/api/webhooks/***/***"
            ),
            ("https://hooks.example.com/northwind/encoding-finished", "https://hooks.example.com/northwind/encoding-finished"),
        ])
    func masking(url: String, masked: String) {
        #expect(WebhookURL.masked(url) == masked)
    }

    @Test("the credentials masking hides, for the output redactor")
    func credentials() {
        #expect(
            WebhookURL.credentials("https://u:p%40ss@h.example.com/x?token=a%2Bb&x=1&key=k") == [
                "p%40ss", "p@ss", "a%2Bb", "a+b", "k", "k",
            ])
        #expect(WebhookURL.credentials("https://h.example.com/x?page=2").isEmpty)
        #expect(
            WebhookURL.credentials("https://hooks.slack.com/services/T0A1B2C3D/B0E1F2G3H/abcdefghijklmnopqrstuvwx?sig=s3cr3t")
                == [
                    "T0A1B2C3D", "T0A1B2C3D", "B0E1F2G3H", "B0E1F2G3H", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx",
                    "s3cr3t", "s3cr3t",
                ])
    }

    @Test("credentials written literally, outside ${NAME}, are found; those behind a variable are not")
    func literal() {
        #expect(WebhookURL.literalCredentials("https://h.example.com/x?token=${HOOK_TOKEN}&x=1").isEmpty)
        #expect(WebhookURL.literalCredentials("https://hooks.slack.com/services/${SLACK_HOOK_PATH}").isEmpty)
        #expect(WebhookURL.literalCredentials("https://hooks.example.com/northwind/encoded").isEmpty)
        #expect(WebhookURL.literalCredentials("https://h.example.com/x?sig=${S}&token=tok-12345") == ["tok-12345", "tok-12345"])
        #expect(!WebhookURL.literalCredentials("https://discord.com/api/webhooks/112233445566778899/${T}").isEmpty)
    }
}
