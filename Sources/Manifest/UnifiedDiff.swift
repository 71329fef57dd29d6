/// A unified diff of two texts, line by line, as `diff -u` prints it (for `streamplan fmt --diff`).
///
/// Written by hand: the common head and tail are skipped, and the lines between are matched with
/// Myers' shortest edit script; past 2,000 edits (fewer for very long files) the middle is shown as
/// one replaced block.
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

    /// An edit script from `a` to `b`: Myers' greedy shortest edit script between the common head
    /// and tail, or the middle shown as replaced when it needs more than `maxEdits` edits.
    static func script(_ a: [String], _ b: [String], maxEdits: Int = 2000) -> [Edit] {
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let n = a.count - head - tail
        let m = b.count - head - tail
        var edits = (0..<head).map { Edit.same($0, $0) }
        edits += middle(Array(a[head..<(head + n)]), Array(b[head..<(head + m)]), maxEdits: maxEdits).map {
            switch $0 {
            case .same(let i, let j): return .same(head + i, head + j)
            case .delete(let i): return .delete(head + i)
            case .insert(let j): return .insert(head + j)
            }
        }
        edits += (0..<tail).map { Edit.same(a.count - tail + $0, b.count - tail + $0) }
        return edits
    }

    /// Myers' algorithm ("An O(ND) difference algorithm", 1986): for each number of edits d, the
    /// furthest point reached on each diagonal k = x - y; the frontiers are kept to walk back.
    private static func middle(_ a: [String], _ b: [String], maxEdits: Int) -> [Edit] {
        let n = a.count
        let m = b.count
        let replaced = (0..<n).map { Edit.delete($0) } + (0..<m).map { Edit.insert($0) }
        if n == 0 || m == 0 { return replaced }
        // The work is at most (n + m) × d: keep it to about 40 million steps.
        let maxEdits = min(maxEdits, max(50, 40_000_000 / (n + m)))
        let offset = n + m + 1
        var v = [Int](repeating: 0, count: 2 * offset + 1)
        // trace[d]: the frontier before step d, for diagonals -(d+1)...(d+1).
        var trace: [[Int]] = []
        var found = false
        search: for d in 0...min(n + m, maxEdits) {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x =
                    (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n && y < m && a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break search
                }
            }
        }
        guard found else { return replaced }
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 1, by: -1) {
            let frontier = trace[d]
            func at(_ k: Int) -> Int { frontier[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                edits.append(.same(x - 1, y - 1))
                x -= 1
                y -= 1
            }
            edits.append(x == previousX ? .insert(previousY) : .delete(previousX))
            x = previousX
            y = previousY
        }
        while x > 0 && y > 0 {
            edits.append(.same(x - 1, y - 1))
            x -= 1
            y -= 1
        }
        return edits.reversed()
    }
}
