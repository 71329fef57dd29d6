public import YAMLNodes

/// A player theme (`players:`): the look and controls of AIOZ Stream's player, and its logo.
///
/// Only the theme and control fields the manifest writes are managed; a field left out keeps
/// whatever the service has (docs/manifests.md, "Player themes").
public struct PlayerSpec: Sendable, Hashable {
    /// The manifest's key (the address is `player.NAME`).
    public var name: String
    /// The player's name on the service (default: the key).
    public var displayName: String
    /// Theme fields written (`main_color`, `control_bar_height`, …) and their values.
    public var theme: [String: String]
    /// Control switches written (`enable_controls`, …).
    public var controls: [String: Bool]
    public var logo: PlayerLogoSpec?
    /// `default:`: whether it is the account's default player theme (true: at most one across the
    /// manifests); nil when not written, and then never changed.
    public var isDefault: Bool?
    /// Where `default:` is written.
    public var defaultLocation: SourceLocation?
    public var location: SourceLocation

    public init(
        name: String, displayName: String, theme: [String: String] = [:], controls: [String: Bool] = [:],
        logo: PlayerLogoSpec? = nil, isDefault: Bool? = nil, defaultLocation: SourceLocation? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.displayName = displayName
        self.theme = theme
        self.controls = controls
        self.logo = logo
        self.isDefault = isDefault
        self.defaultLocation = defaultLocation
        self.location = location
    }

    public var address: String { "player.\(name)" }
}

/// A player's logo: a PNG or JPEG file and the link it opens.
public struct PlayerLogoSpec: Sendable, Hashable {
    public var image: LocalFile
    public var link: String

    public init(image: LocalFile, link: String) {
        self.image = image
        self.link = link
    }
}

/// The fields of AIOZ's `CreatePlayerThemeRequest` (both API generations), and what each accepts.
public enum PlayerFields {
    /// `theme` fields that hold a colour.
    public static let colors = [
        "main_color", "text_color", "text_track_color", "text_track_background", "control_bar_background_color",
        "menu_background_color", "menu_item_background_hover",
    ]
    /// `theme` fields that hold a size in pixels.
    public static let sizes = ["control_bar_height", "progress_bar_height", "progress_bar_circle_size"]
    public static var theme: [String] { colors + sizes }
    /// `controls` switches.
    public static let controls = ["enable_api", "enable_controls", "force_autoplay", "force_loop", "hide_title"]

    public static let colorRule =
        "a colour: #rgb, #rrggbb or #rrggbbaa in hex, or rgb(r, g, b) / rgba(r, g, b, a) with r, g, b 0-255 and a 0-1"
    public static let sizeRule = "a size in pixels: a number from 0 to 1000 followed by px, e.g. 40px"

    /// `streamplan fmt`'s key order inside `players:` (the order of docs/manifests.md), or nil.
    static func canonicalKeys(at path: [String]) -> [String]? {
        guard path.count >= 2, path[0] == "players" else { return nil }
        switch Array(path.dropFirst(2)) {
        case []: return FragmentDecoder.playerKeys
        case ["theme"]: return theme
        case ["controls"]: return ["enable_controls", "enable_api", "force_autoplay", "force_loop", "hide_title"]
        case ["logo"]: return FragmentDecoder.logoKeys
        default: return nil
        }
    }

    /// `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r,g,b)` or `rgba(r,g,b,a)`.
    public static func isColor(_ text: String) -> Bool {
        if text.hasPrefix("#") {
            let digits = text.dropFirst()
            return [3, 6, 8].contains(digits.count) && digits.allSatisfy(\.isHexDigit)
        }
        let lower = text.lowercased().filter { $0 != " " }
        let (prefix, count) = lower.hasPrefix("rgba(") ? ("rgba(", 4) : ("rgb(", 3)
        guard lower.hasPrefix(prefix), lower.hasSuffix(")") else { return false }
        let parts = lower.dropFirst(prefix.count).dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == count else { return false }
        for (index, part) in parts.enumerated() {
            if index == 3 {
                guard let alpha = Double(part), (0...1).contains(alpha) else { return false }
            } else {
                guard part.allSatisfy(\.isASCII), let value = Int(part), (0...255).contains(value) else { return false }
            }
        }
        return true
    }

    /// `Npx` with N from 0 to 1000 (decimals allowed).
    public static func isSize(_ text: String) -> Bool {
        guard text.hasSuffix("px") else { return false }
        let number = text.dropLast(2)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number)
        else { return false }
        return (0...1000).contains(value)
    }

    /// An `https://` URL with a host and no spaces.
    public static func isLink(_ text: String) -> Bool {
        guard text.hasPrefix("https://"), text.count <= 1000, !text.contains(where: \.isWhitespace) else { return false }
        let host = text.dropFirst("https://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty
    }
}
