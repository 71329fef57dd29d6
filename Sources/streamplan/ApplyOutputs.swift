import Apply
import Foundation
import Manifest

extension ApplyCommand {
    /// `--outputs FILE`: the document `output --format json` prints, read from the account after the
    /// apply and written atomically (a reader never sees half of it). Never with secrets.
    func writeOutputs(_ applier: Applier, _ manifest: Manifest) async throws {
        guard let file = outputsFile else { return }
        let connection = connection
        let document = try await applier.outputs(manifest, link: { connection.printedLink($0) })
        try document.json().write(to: URL(fileURLWithPath: file), options: .atomic)
        Terminal.stdout("Outputs written to \(file) (\(document.objects.count) objects).")
    }
}
