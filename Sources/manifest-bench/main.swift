import Foundation
import Manifest

// Times `ManifestLoader.load` (read + parse + validate, the work of `streamplan validate`) on the
// given paths. Usage: manifest-bench RUNS PATH...  Prints the best and median wall time.
let arguments = CommandLine.arguments.dropFirst()
guard let runs = arguments.first.flatMap(Int.init), arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: manifest-bench RUNS PATH...\n".utf8))
    exit(2)
}
let paths = Array(arguments.dropFirst())
var times: [Double] = []
var videos = 0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = ManifestLoader(environmentSecret: nil).load(paths)
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    if result.hasErrors {
        FileHandle.standardError.write(Data("invalid manifests: \(result.diagnostics.prefix(3))\n".utf8))
        exit(1)
    }
    videos = result.manifest?.videos.count ?? 0
}
times.sort()
print(String(format: "streamplan load+validate: %d videos, best %.3f s, median %.3f s", videos, times[0], times[times.count / 2]))
