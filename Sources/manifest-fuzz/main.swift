import Foundation
import Manifest
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// A seeded mutation fuzzer of the manifest loader (libyaml events → nodes → manifest), for the
// reliability suite (scripts/reliability.py, docs/reliability.md).
//
//   manifest-fuzz [--inputs N] [--seed S] [--work DIR] [--vtt] CORPUS-FILE…
//
// Each input is one to four mutations of a corpus file (byte flips, inserted YAML tokens, deleted
// or duplicated ranges, splices of two files), written to DIR/m.yaml and loaded in-process, then
// formatted as `streamplan fmt` would. With `--vtt` the corpus is WebVTT files: each mutation is
// written to DIR/t.vtt, which a fixed manifest (DIR/m.yaml) names as a video's caption and chapters,
// so the loader's WebVTT checker reads it. A crash ends the process (the input that caused it is
// DIR/m.yaml); an input that takes more than 5 s is reported as a hang (exit 3); an input that the
// formatter lays out differently a second time ends it with exit 4. At the end one line of figures
// is printed.

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

let tokens: [[UInt8]] = [
    "&a ", "*a", "<<: ", "!!str ", "!!binary ", "!custom ", "---\n", "...\n", "{", "}", "[", "]", "\"", "'", "\t", ": ",
    "- ", "? ", "|\n  ", ">-\n  ", "#", "%YAML 1.1\n", "\\u0000", "\u{FEFF}", "null", "~", "0x1F", "1e999", "&b [*b]",
    "\n", "  ", ",", "@", "`", "\r\n",
].map { Array($0.utf8) }

/// Tokens of WebVTT: timings, long digit runs (the overflow of issue 26), settings, headers.
let vttTokens: [[UInt8]] = [
    " --> ", "00:00:01.000", "99:59:59.999", "1234567890123456789:00:00.000", "00:60:00.000", "00:00.000",
    "-1:00:00.000", "\nWEBVTT\n", "NOTE ", "STYLE\n", "REGION\n", " align:start", " position:10%", "<v Bob>", "</c>",
    "\n\n", "\r\n", "\u{FEFF}", "\u{0}", ".", ":", "99999999999999999999",
].map { Array($0.utf8) }

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
let vtt = arguments.contains("--vtt")
arguments.removeAll { $0 == "--vtt" }
let inputs = Int(option("--inputs", "100000")) ?? 100_000
var random = SplitMix64(state: UInt64(option("--seed", "1")) ?? 1)
let work = option("--work", FileManager.default.temporaryDirectory.appendingPathComponent("manifest-fuzz").path)
let corpus = arguments.compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
guard !corpus.isEmpty else {
    FileHandle.standardError.write(Data("manifest-fuzz: give corpus files\n".utf8))
    exit(2)
}
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let manifestPath = work + "/m.yaml"
/// The file each input is written to: the manifest, or with `--vtt` the caption file it names.
let target = vtt ? work + "/t.vtt" : manifestPath
if vtt {
    let manifest =
        "project: fuzz\nvideos:\n  v:\n    title: t\n    source: s.mp4\n    captions: {en: t.vtt}\n    chapters: {en: t.vtt}\n"
    guard FileManager.default.createFile(atPath: manifestPath, contents: Data(manifest.utf8)),
        FileManager.default.createFile(atPath: work + "/s.mp4", contents: Data("not a video".utf8))
    else {
        FileHandle.standardError.write(Data("manifest-fuzz: cannot write in \(work); give a writable --work directory\n".utf8))
        exit(2)
    }
}

@MainActor func mutate(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    for _ in 0...random.below(4) {
        let at = random.below(bytes.count + 1)
        switch random.below(6) {
        case 0 where !bytes.isEmpty:
            bytes[min(at, bytes.count - 1)] ^= UInt8(1 << random.below(8))
        case 1:
            let pool = vtt ? vttTokens : tokens
            bytes.insert(contentsOf: pool[random.below(pool.count)], at: at)
        case 2 where !bytes.isEmpty:
            let end = min(bytes.count, at + random.below(64) + 1)
            bytes.removeSubrange(min(at, end)..<end)
        case 3 where !bytes.isEmpty:
            let start = random.below(bytes.count)
            let end = min(bytes.count, start + random.below(256) + 1)
            bytes.insert(contentsOf: bytes[start..<end], at: at)
        case 4:
            let other = corpus[random.below(corpus.count)]
            let start = random.below(other.count + 1)
            bytes = Array(bytes[..<min(at, bytes.count)]) + Array(other[start...])
        default:
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
        }
    }
    return bytes
}

// The watchdog: an input running longer than 5 s is a hang.
/// When the input being loaded started, in milliseconds since 1970 (0: none is).
let started = Atomic<UInt64>(0)
let hangMessage = "manifest-fuzz: HANG: an input took over 5 s; it is \(target)\n"
let watchdog = Thread {
    while true {
        Thread.sleep(forTimeInterval: 0.5)
        let since = started.load(ordering: .relaxed)
        if since > 0 && UInt64(Date().timeIntervalSince1970 * 1000) - since > 5000 {
            FileHandle.standardError.write(Data(hangMessage.utf8))
            exit(3)
        }
    }
}
watchdog.start()

let loader = ManifestLoader(environmentSecret: "fuzz-secret-value", root: work)
var slowest = 0.0
var total = 0.0
var findings = 0
var formatted = 0
let clock = Date()
for _ in 0..<inputs {
    let input = mutate(corpus[random.below(corpus.count)])
    guard FileManager.default.createFile(atPath: target, contents: Data(input)) else {
        FileHandle.standardError.write(Data("manifest-fuzz: cannot write \(target); give a writable --work directory\n".utf8))
        exit(2)
    }
    let begin = Date().timeIntervalSince1970
    started.store(UInt64(begin * 1000), ordering: .relaxed)
    let result = loader.load([manifestPath])
    if !vtt, let text = String(bytes: input, encoding: .utf8),
        case .formatted(let once) = ManifestFormat.formatter.format(text, file: target)
    {
        formatted += 1
        guard case .formatted(let twice) = ManifestFormat.formatter.format(once, file: target), twice == once else {
            FileHandle.standardError.write(Data("manifest-fuzz: fmt lays out its own output differently: \(target)\n".utf8))
            exit(4)
        }
    }
    started.store(0, ordering: .relaxed)
    let took = Date().timeIntervalSince1970 - begin
    slowest = max(slowest, took)
    total += took
    findings += result.diagnostics.count
}
print(
    String(
        format: "manifest-fuzz: %d inputs, 0 crashes, 0 hangs, slowest %.1f ms, mean %.3f ms, %d findings, %d formatted, %.1f s",
        inputs, slowest * 1000, total / Double(max(inputs, 1)) * 1000, findings, formatted, Date().timeIntervalSince(clock)))
