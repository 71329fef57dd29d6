/// Path arithmetic on strings, in place of `NSString.deletingLastPathComponent`, which on Linux
/// (swift-corelibs-foundation) traps on a one-character path such as `m`, `.` or `é`: a manifest
/// naming `thumbnail: m` crashed `validate` (found by manifest-fuzz).
public enum Paths {
    /// `path` without its last component, as `deletingLastPathComponent` gives it: `a/b/c` → `a/b`,
    /// `a/b/` → `a`, `/a` → `/`, `a` → `` (empty), `/` → `/`.
    public static func directory(of path: String) -> String {
        var scalars = Substring(path)
        while scalars.count > 1, scalars.hasSuffix("/") { scalars = scalars.dropLast() }
        guard scalars != "/" else { return "/" }
        guard let slash = scalars.lastIndex(of: "/") else { return "" }
        var parent = scalars[..<slash]
        while parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }
}
