import Foundation
import Testing

@testable import Manifest

@Suite("the project hint plan reads the account with while the manifests load")
struct ProjectHintTests {
    @Test("a directory's files that agree give their project; the hint is the loaded manifest's")
    func agreeing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("project.yaml", "# the project\nproject: \"demo-1\"  # owner\nprovider: aioz\n")
        try workspace.write("videos/a.yaml", "project: demo-1\nvideos:\n  a:\n    title: A\n    source: ../clip.mp4\n")
        try workspace.write("videos/b.yml", "videos:\n  b:\n    title: \"project: other\"\n    source: ../clip.mp4\n")
        #expect(ManifestLoader.projectHint([workspace.path]) == "demo-1")
        #expect(ManifestLoader.load([workspace.path]).manifest?.project == "demo-1")
    }

    @Test("no hint: files that disagree, another provider, no project line, a missing path")
    func none() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("a/one.yaml", "project: one\n")
        try workspace.write("a/two.yaml", "project: two\n")
        #expect(ManifestLoader.projectHint([workspace.path + "/a"]) == nil)
        try workspace.write("b/m.yaml", "project: demo\nprovider: aionvision\n")
        #expect(ManifestLoader.projectHint([workspace.path + "/b"]) == nil)
        try workspace.write("c/m.yaml", "videos: {}\n")
        #expect(ManifestLoader.projectHint([workspace.path + "/c/m.yaml"]) == nil)
        #expect(ManifestLoader.projectHint([workspace.path + "/missing.yaml"]) == nil)
    }
}
