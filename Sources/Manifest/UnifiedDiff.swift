/// A unified diff of two texts, line by line, as `diff -u` prints it (for `streamplan fmt --diff`).
///
/// Written by hand: the common head and tail are skipped, and the lines between are matched by a
/// longest common subsequence when they are few enough (up to 4 million line pairs), else shown as
/// one replaced block. Formatting changes few lines, so the middle is small.
public enum UnifiedDiff {
    enum Edit: Equatable {
        case same(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// The diff of `old` and `new` with `context` lines around each change; empty when equal.
    public static func diff(_ old: String, _ new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let edits = script(a, b)
        guard edits.contains(where: { if case .same = $0 { return false } else { return true } }) else { return "" }
        var output = ["--- \(oldName)", "+++ \(newName)"]
        // Group changes whose context overlaps into hunks.
        let changed = edits.indices.filter { if case .same = edits[$0] { return false } else { return true } }
        var groups: [ClosedRange<Int>] = []
        for i in changed {
            let range = max(0, i - context)...min(edits.count - 1, i + context)
            if let last = groups.last, range.lowerBound <= last.upperBound + 1 {
                groups[groups.count - 1] = last.lowerBound...range.upperBound
            } else {
                groups.append(range)
            }
        }
        for group in groups {
            var oldStart: Int?
            var newStart: Int?
            var oldCount = 0
            var newCount = 0
            var body: [String] = []
            // Where this hunk starts in each file: the first line it shows, or the line before it.
            var oldBefore = 0
            var newBefore = 0
            for edit in edits[..<group.lowerBound] {
                switch edit {
                case .same: (oldBefore, newBefore) = (oldBefore + 1, newBefore + 1)
                case .delete: oldBefore += 1
                case .insert: newBefore += 1
                }
            }
            for edit in edits[group] {
                switch edit {
                case .same(let i, let j):
                    oldStart = oldStart ?? i
                    newStart = newStart ?? j
                    oldCount += 1
                    newCount += 1
                    body.append(" " + a[i])
                case .delete(let i):
                    oldStart = oldStart ?? i
                    oldCount += 1
                    body.append("-" + a[i])
                case .insert(let j):
                    newStart = newStart ?? j
                    newCount += 1
                    body.append("+" + b[j])
                }
            }
            let oldLabel = oldCount == 0 ? oldBefore : (oldStart ?? oldBefore) + 1
            let newLabel = newCount == 0 ? newBefore : (newStart ?? newBefore) + 1
            output.append("@@ -\(oldLabel),\(oldCount) +\(newLabel),\(newCount) @@")
            output += body
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// The lines of `text`; a final line break ends the last line rather than starting an empty one.
    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// An edit script from `a` to `b`.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        var edits = (0..<head).map { Edit.same($0, $0) }
        let n = a.count - head - tail
        let m = b.count - head - tail
        if n * m <= 4_000_000 {
            // lengths[i][j]: the longest common subsequence of a[head+i...] and b[head+j...].
            var lengths = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
            if n > 0 && m > 0 {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for j in stride(from: m - 1, through: 0, by: -1) {
                        lengths[i][j] =
                            a[head + i] == b[head + j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
                    }
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n && j < m && a[head + i] == b[head + j] {
                    edits.append(.same(head + i, head + j))
                    i += 1
                    j += 1
                } else if i < n && (j == m || lengths[i + 1][j] >= lengths[i][j + 1]) {
                    edits.append(.delete(head + i))
                    i += 1
                } else {
                    edits.append(.insert(head + j))
                    j += 1
                }
            }
        } else {
            edits += (0..<n).map { Edit.delete(head + $0) }
            edits += (0..<m).map { Edit.insert(head + $0) }
        }
        edits += (0..<tail).map { Edit.same(a.count - tail + $0, b.count - tail + $0) }
        return edits
    }
}
