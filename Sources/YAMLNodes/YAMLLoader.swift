import Foundation

/// Reads YAML files into node trees with positions, refusing input that is not a manifest's
/// (too large, binary, not UTF-8) with one clear message instead of a crash or a hang.
public enum YAMLLoader {
    /// Reads and parses the file at `path`; `displayPath` is how messages name it.
    public static func load(path: String, displayPath: String? = nil, limits: YAMLLimits = .standard) -> YAMLParseResult {
        let name = displayPath ?? path
        let start = SourceLocation(file: name, line: 1, column: 1)
        let handle: FileHandle
        switch RegularFile.open(path) {
        case .success(let opened): handle = opened
        case .failure(let refusal):
            return YAMLParseResult(diagnostics: [
                YAMLDiagnostic("the file \(refusal); manifests must be regular files", at: start)
            ])
        }
        defer { try? handle.close() }
        if let size = try? handle.seekToEnd(), size > limits.maxFileBytes {
            return YAMLParseResult(diagnostics: [
                YAMLDiagnostic(
                    "the file is \(size) bytes; manifest files may be at most \(limits.maxFileBytes) bytes "
                        + "(\(limits.maxFileBytes >> 20) MiB): split it into several files",
                    at: start)
            ])
        }
        try? handle.seek(toOffset: 0)
        // Read at most one byte past the limit, so a file that grew after stat is still refused.
        let data = (try? handle.read(upToCount: limits.maxFileBytes + 1)) ?? Data()
        if data.count > limits.maxFileBytes {
            return YAMLParseResult(diagnostics: [
                YAMLDiagnostic(
                    "the file is larger than \(limits.maxFileBytes) bytes; split it into several files", at: start)
            ])
        }
        return data.withUnsafeBytes { raw in
            parse(
                UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count), file: name,
                limits: limits)
        }
    }

    /// Parses YAML text; `file` names it in messages.
    public static func parse(_ text: String, file: String, limits: YAMLLimits = .standard) -> YAMLParseResult {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0), file: file, limits: limits) }
    }

    /// Parses YAML bytes; `file` names them in messages.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String, limits: YAMLLimits = .standard)
        -> YAMLParseResult
    {
        if buffer.count > limits.maxFileBytes {
            return YAMLParseResult(diagnostics: [
                YAMLDiagnostic(
                    "the input is larger than \(limits.maxFileBytes) bytes", at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        if let problem = encodingProblem(buffer, file: file) {
            return YAMLParseResult(diagnostics: [problem])
        }
        let events = EventParser(buffer: buffer)
        var composer = Composer(events: events, file: file, limits: limits)
        do {
            let documents = try composer.documents()
            return YAMLParseResult(documents: documents, diagnostics: composer.diagnostics)
        } catch {
            var fatal = error.diagnostic
            if fatal.message.contains("cannot start any token"), let offset = byteOffset(of: fatal.location.mark, in: buffer),
                offset < buffer.count, buffer[offset] == 0x09
            {
                fatal.message = "a tab character; YAML indents with spaces only"
            }
            return YAMLParseResult(diagnostics: composer.diagnostics + [fatal])
        }
    }

    /// Refuses binary files, UTF-16/32 and invalid UTF-8 before libyaml sees them.
    private static func encodingProblem(_ buffer: UnsafeBufferPointer<UInt8>, file: String) -> YAMLDiagnostic? {
        if buffer.count >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)) {
            return YAMLDiagnostic(
                "the file is UTF-16 or UTF-32; save it as UTF-8",
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        if let raw = UnsafeRawBufferPointer(buffer).baseAddress, buffer.count > 0,
            let hit = memchr(raw, 0, buffer.count)
        {
            let offset = UnsafeRawPointer(hit) - raw
            let at = position(ofByte: offset, in: buffer)
            return YAMLDiagnostic(
                "the file contains a NUL byte (offset \(offset)): it looks binary, not a YAML manifest",
                at: SourceLocation(file: file, mark: at))
        }
        if let bad = firstInvalidUTF8(buffer) {
            let at = position(ofByte: bad, in: buffer)
            return YAMLDiagnostic(
                "the file is not valid UTF-8 (byte 0x\(String(buffer[bad], radix: 16, uppercase: true)) at offset \(bad)); "
                    + "manifests must be UTF-8", at: SourceLocation(file: file, mark: at))
        }
        return nil
    }

    /// The offset of the first byte that breaks UTF-8, or nil when the buffer is valid.
    static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF:
                length = 2
                minimum = 0x80
                scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF:
                length = 3
                minimum = 0x800
                scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4:
                length = 4
                minimum = 0x10000
                scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= n else { return i }
            for j in 1..<length {
                let c = buffer[i + j]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }

    /// Line and column (in Unicode scalars) of a byte offset.
    static func position(ofByte offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        var i = 0
        while i < offset && i < buffer.count {
            let b = buffer[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return Mark(line: line, column: column)
    }

    static func byteOffset(of mark: Mark, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var line = 1
        var i = 0
        while line < mark.line {
            guard i < buffer.count else { return nil }
            if buffer[i] == 0x0A { line += 1 }
            i += 1
        }
        var column = 1
        while column < mark.column && i < buffer.count {
            i += 1
            while i < buffer.count && buffer[i] & 0xC0 == 0x80 { i += 1 }
            column += 1
        }
        return i
    }
}
