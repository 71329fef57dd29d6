import Apply
import Foundation
import TestSupport
import Testing

private struct Vector: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var path: String
    var query: String
    var canonicalRequest: String?
    var canonicalQuery: String?
    var stringToSign: String?
    var signature: String

    var testDescription: String { name }
}

private let vectors: [Vector] = {
    let url = URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/sigv4/vectors.json")
    return (try? JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))) ?? []
}()

private let signer = SigV4Signer(
    credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1", service: "service")

@Suite("SigV4 signer against AWS's published test vectors")
struct SigV4SignerTests {
    @Test("the fixture file loads")
    func fixturesLoad() {
        #expect(vectors.count == 3)
    }

    @Test("canonical request, string to sign and signature match", arguments: vectors)
    fileprivate func vector(_ vector: Vector) {
        let signed = signer.sign(
            method: "GET", path: vector.path, rawQuery: vector.query,
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadSHA256: SigV4Signer.emptyPayloadSHA256, amzDate: "20150830T123600Z")
        if let expected = vector.canonicalRequest { #expect(signed.canonicalRequest == expected) }
        if let expected = vector.canonicalQuery {
            #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == expected)
        }
        if let expected = vector.stringToSign { #expect(signed.stringToSign == expected) }
        #expect(signed.signature == vector.signature)
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=\(vector.signature)")
    }

    @Test("a different secret gives a different signature, and the secret appears nowhere")
    func secretStaysInside() {
        let other = SigV4Signer(
            credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "not-the-secret"),
            region: "us-east-1", service: "service")
        let signed = other.sign(
            method: "GET", path: "/", rawQuery: "",
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadSHA256: SigV4Signer.emptyPayloadSHA256, amzDate: "20150830T123600Z")
        #expect(signed.signature != vectors.first?.signature)
        for text in [signed.canonicalRequest, signed.stringToSign, signed.authorization, "\(other)"] {
            #expect(!text.contains("not-the-secret"))
        }
    }

    @Test("X-Amz-Date formatting")
    func amzDate() {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1_440_938_160)) == "20150830T123600Z")
    }
}
