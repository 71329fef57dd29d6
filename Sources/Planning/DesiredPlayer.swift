public import Manifest

/// A player theme as the manifests want it: only the theme and control fields they write.
public struct DesiredPlayer: DesiredObject {
    public var address: Address
    /// The player's name on the service.
    public var name: String
    public var theme: [String: String]
    public var controls: [String: Bool]
    public var logo: DesiredLogo?
    /// Whether it is the account's default player theme; nil: not managed (whatever the service has).
    public var isDefault: Bool?

    public init(spec: PlayerSpec, logoSHA256: String?) {
        address = Address(.player, spec.name)
        name = spec.displayName
        theme = spec.theme
        controls = spec.controls
        logo = spec.logo.map { DesiredLogo(image: DesiredFile($0.image, sha256: logoSHA256), link: $0.link) }
        isDefault = spec.isDefault
    }

    public init(
        address: Address, name: String, theme: [String: String] = [:], controls: [String: Bool] = [:],
        logo: DesiredLogo? = nil, isDefault: Bool? = nil
    ) {
        self.address = address
        self.name = name
        self.theme = theme
        self.controls = controls
        self.logo = logo
        self.isDefault = isDefault
    }

    /// The registry entry that records the hash of the logo streamplan uploaded (`player.NAME.logo`:
    /// not an address, so no kind ever reads it as an object).
    public static func logoEntry(_ address: Address) -> Address { Address(.player, address.name + ".logo") }

    /// The value that entry holds for a logo of hash `sha256`.
    public static func logoMark(_ sha256: String) -> String { "sha256:" + sha256 }
}

/// A player's logo: the image (with the hash the plan compared) and the link it opens.
public struct DesiredLogo: Sendable, Hashable, Codable {
    public var image: DesiredFile
    public var link: String

    public init(image: DesiredFile, link: String) {
        self.image = image
        self.link = link
    }
}

extension DesiredValue {
    public static func player(_ value: DesiredPlayer) -> DesiredValue { DesiredValue(value) }
    public var player: DesiredPlayer? { value as? DesiredPlayer }
}

extension DesiredPlayer {
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredPlayer {
        var copy = self
        copy.logo = logo.map { DesiredLogo(image: transform($0.image), link: $0.link) }
        return copy
    }
}
