import Foundation
import Testing

@testable import YAMLNodes

@Suite("YAML loading")
struct YAMLLoaderTests {
    private func root(_ text: String) throws -> YAMLNode {
        let result = YAMLLoader.parse(text, file: "t.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.documents.first?.root)
    }

    private func errors(_ text: String, limits: YAMLLimits = .standard) -> [String] {
        YAMLLoader.parse(text, file: "t.yaml", limits: limits).diagnostics.map(\.description)
    }

    @Test("every node keeps its 1-based line and column")
    func positions() throws {
        let node = try root("a: 1\nb:\n  - x\n  - {c: d}\n")
        let pairs = try #require(node.mapping)
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[0].value.mark == Mark(line: 1, column: 4))
        let items = try #require(pairs[1].value.sequence)
        #expect(items[0].mark == Mark(line: 3, column: 5))
        #expect(items[1].mapping?[0].value.mark == Mark(line: 4, column: 9))
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let node = try root("é: ü\n")
        #expect(node.mapping?[0].value.mark == Mark(line: 1, column: 4))
    }

    @Test("a duplicate key is reported at the second occurrence, naming the first")
    func duplicateKeys() {
        let found = errors("title: a\nother: b\ntitle: c\n")
        #expect(
            found == [
                "t.yaml:3:1: error: duplicate key \"title\" (first defined at line 1, column 1); a key may appear once in a mapping"
            ])
    }

    @Test("aliases copy the anchored node")
    func aliases() throws {
        let node = try root("a: &x [1, 2]\nb: *x\n")
        #expect(node.mapping?[1].value.sequence?.count == 2)
    }

    @Test("an undefined alias is an error at the alias")
    func undefinedAlias() {
        #expect(errors("a: *nope\n") == ["t.yaml:1:4: error: alias *nope refers to no anchor &nope defined before it"])
    }

    @Test("merge keys splice in pairs; explicit keys win wherever they stand")
    func mergeKeys() throws {
        let node = try root("base: &b {x: 1, y: 2}\nitem:\n  y: 3\n  <<: *b\n")
        let item = try #require(node.mapping?[1].value.mapping)
        let values = Dictionary(uniqueKeysWithValues: item.map { ($0.key.scalar!.value, $0.value.scalar!.value) })
        #expect(values == ["x": "1", "y": "3"])
    }

    @Test("merge keys accept a list of mappings")
    func mergeList() throws {
        let node = try root("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n")
        #expect(node.mapping?[2].value.mapping?.count == 2)
    }

    @Test("a merge key with a scalar is refused")
    func mergeScalar() {
        #expect(errors("a:\n  <<: 5\n").first?.contains("a merge key (<<) takes a mapping") == true)
    }

    @Test(
        "non-core tags are refused, core tags are kept",
        arguments: [
            ("a: !secret x\n", true), ("a: !!python/object x\n", true), ("a: !!str 5\n", false), ("a: !!int 5\n", false),
        ])
    func tags(text: String, refused: Bool) {
        #expect(!errors(text).isEmpty == refused)
    }

    @Test("several documents in one file are read in order; an empty one has no root")
    func documents() {
        let result = YAMLLoader.parse("a: 1\n---\n---\nb: 2\n", file: "t.yaml")
        #expect(result.documents.count == 3)
        #expect(result.documents[1].root == nil)
        #expect(result.documents[2].root?.mapping?[0].key.mark.line == 4)
    }

    @Test("a syntax error says where")
    func syntaxError() {
        let found = errors("a: [1, 2\nb: 3\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("t.yaml:") == true)
    }

    @Test("a tab used for indentation gets a plain explanation")
    func tabs() {
        #expect(errors("a:\n\tb: 1\n").first?.contains("tab character") == true)
    }

    @Test("invalid UTF-8 is refused with the line and column of the bad byte")
    func invalidUTF8() {
        var bytes = Array("title: ok\nname: caf".utf8)
        bytes.append(0xE9)  // Latin-1 é
        bytes += Array("\n".utf8)
        let result = bytes.withUnsafeBufferPointer { YAMLLoader.parse($0, file: "t.yaml") }
        #expect(
            result.diagnostics.map(\.description) == [
                "t.yaml:2:10: error: the file is not valid UTF-8 (byte 0xE9 at offset 19); manifests must be UTF-8"
            ])
    }

    @Test("UTF-16 is refused")
    func utf16() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00]
        let result = bytes.withUnsafeBufferPointer { YAMLLoader.parse($0, file: "t.yaml") }
        #expect(result.diagnostics.first?.message.contains("UTF-16") == true)
    }

    @Test("a binary file named .yaml is refused")
    func binary() {
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00]
        let result = bytes.withUnsafeBufferPointer { YAMLLoader.parse($0, file: "t.yaml") }
        #expect(result.diagnostics.first?.message.contains("binary") == true)
        #expect(result.documents.isEmpty)
    }

    @Test("deep nesting stops early with one error instead of hanging")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000)
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("deeper than 64") == true)
    }

    @Test("an alias bomb stops at the expansion budget")
    func billionLaughs() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("alias bombs") == true)
    }

    @Test("a plain list over the node budget is called too large, not an alias bomb")
    func hugePlainList() {
        let text = "tags:\n" + String(repeating: "- x\n", count: 1_000_001)
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.contains("has more than 1000000 nodes") == true)
        #expect(found.first?.contains("alias") == false)
    }

    @Test("a file larger than the limit is refused before it is read")
    func hugeFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID()).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 1 << 30)  // a sparse 1 GiB file
        try handle.close()
        let result = YAMLLoader.load(path: path, displayPath: "huge.yaml")
        #expect(
            result.diagnostics.map(\.description) == [
                "huge.yaml:1:1: error: the file is 1073741824 bytes; manifest files may be at most 16777216 bytes (16 MiB): split it into several files"
            ])
    }

    @Test(
        "YAML 1.2 core schema: only true/false are booleans",
        arguments: [
            ("true", CoreSchema.Value.bool(true)), ("False", .bool(false)), ("yes", .string("yes")), ("on", .string("on")),
            ("~", .null), ("", .null), ("12", .int(12)), ("-3", .int(-3)), ("0x1F", .int(31)), ("1.5", .float(1.5)),
            ("1e3", .float(1000)), ("720p", .string("720p")), ("1.2.3", .string("1.2.3")),
        ])
    func coreSchema(text: String, expected: CoreSchema.Value) {
        #expect(CoreSchema.resolve(text) == expected)
    }
}
