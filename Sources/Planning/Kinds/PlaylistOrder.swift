public import Providers

/// The calls that turn a playlist's items into a wanted order of videos: removals (videos not
/// wanted, second copies), additions (appended at the end), then the fewest moves (the longest run
/// of items already in the wanted relative order stays; every other item moves once). Pure: the
/// planner shows it, the executor performs it.
public enum PlaylistOrder {
    /// One move call: `itemID` between `previousID` and `nextID` (nil: the start or the end).
    public struct Move: Sendable, Hashable {
        public var itemID: String
        public var videoID: String
        public var previousID: String?
        public var nextID: String?
    }

    /// The items to remove from `current` so that it holds each wanted video once and nothing else
    /// (of several copies of a video, the first stays).
    public static func removals(_ current: [RemotePlaylistItem], wanted: [String]) -> [RemotePlaylistItem] {
        let wantedSet = Set(wanted)
        var seen = Set<String>()
        return current.filter { item in !wantedSet.contains(item.videoID) || !seen.insert(item.videoID).inserted }
    }

    /// The wanted videos `current` does not hold, in the wanted order.
    public static func additions(_ current: [RemotePlaylistItem], wanted: [String]) -> [String] {
        let have = Set(current.map(\.videoID))
        return wanted.filter { !have.contains($0) }
    }

    /// The moves that put `items` (each wanted video exactly once) in the wanted order, fewest first:
    /// `items.count` minus the longest increasing subsequence of wanted positions.
    public static func moves(_ items: [RemotePlaylistItem], wanted: [String]) -> [Move] {
        let position = Dictionary(wanted.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let ranks = items.map { position[$0.videoID] ?? Int.max }
        let kept = Set(longestIncreasing(ranks).map { items[$0].id })
        let itemOf = Dictionary(items.map { ($0.videoID, $0) }, uniquingKeysWith: { a, _ in a })
        var list = items.map(\.id)
        var out: [Move] = []
        for (index, videoID) in wanted.enumerated() {
            guard let item = itemOf[videoID], !kept.contains(item.id) else { continue }
            list.removeAll { $0 == item.id }
            let previous = index == 0 ? nil : itemOf[wanted[index - 1]]?.id
            let at = previous.flatMap { p in list.firstIndex(of: p).map { $0 + 1 } } ?? 0
            let next = at < list.count ? list[at] : nil
            list.insert(item.id, at: at)
            out.append(Move(itemID: item.id, videoID: videoID, previousID: previous, nextID: next))
        }
        return out
    }

    /// Indices of one longest strictly increasing subsequence of `values` (patience sorting).
    static func longestIncreasing(_ values: [Int]) -> [Int] {
        var tails: [Int] = []  // indices into values
        var previous = [Int](repeating: -1, count: values.count)
        for (i, value) in values.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if values[tails[mid]] < value { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[i] = tails[low - 1] }
            if low == tails.count { tails.append(i) } else { tails[low] = i }
        }
        var out: [Int] = []
        var i = tails.last ?? -1
        while i >= 0 {
            out.append(i)
            i = previous[i]
        }
        return out.reversed()
    }

    /// Applies one move to a list of item ids, as the service does.
    public static func apply(_ move: Move, to list: inout [String]) {
        list.removeAll { $0 == move.itemID }
        if let previous = move.previousID, let index = list.firstIndex(of: previous) {
            list.insert(move.itemID, at: index + 1)
        } else if let next = move.nextID, let index = list.firstIndex(of: next) {
            list.insert(move.itemID, at: index)
        } else if move.previousID == nil {
            list.insert(move.itemID, at: 0)
        } else {
            list.append(move.itemID)
        }
    }
}
