import YAMLNodes

/// `players:` and a video's `player:`.
extension FragmentDecoder {
    static let playerKeys = ["name", "default", "theme", "controls", "logo"] + Lifecycle.keys
    static let logoKeys = ["image", "link"]

    /// One entry of `players:`; nil when it has errors (each reported where it is written).
    mutating func player(_ name: String, key: YAMLNode, node: YAMLNode) -> PlayerSpec? {
        let what = "player.\(name)"
        guard let f = reader.mapping(node, allowed: Self.playerKeys, what: what) else { return nil }
        let before = reader.diagnostics.diagnostics.count
        var displayName = name
        if let n = f["name"], let v = reader.string(n, what: "name") {
            displayName = v
            reader.checkLength(v, 1...255, what: "name", at: n)
        }
        var isDefault: Bool?
        if let d = f["default"] { isDefault = reader.bool(d, what: "default") }
        var theme: [String: String] = [:]
        if let t = f["theme"], let fields = reader.mapping(t, allowed: PlayerFields.theme, what: "\(what) theme") {
            for field in PlayerFields.theme {
                guard let valueNode = fields[field], let value = reader.string(valueNode, what: field) else { continue }
                let isColor = PlayerFields.colors.contains(field)
                if isColor ? PlayerFields.isColor(value) : PlayerFields.isSize(value) {
                    theme[field] = value
                } else {
                    reader.error(
                        "\(field) \"\(value)\" is not \(isColor ? PlayerFields.colorRule : PlayerFields.sizeRule)",
                        at: valueNode)
                }
            }
        }
        var controls: [String: Bool] = [:]
        if let c = f["controls"], let fields = reader.mapping(c, allowed: PlayerFields.controls, what: "\(what) controls") {
            for field in PlayerFields.controls {
                guard let valueNode = fields[field], let value = reader.bool(valueNode, what: field) else { continue }
                controls[field] = value
            }
        }
        var logo: PlayerLogoSpec?
        if let l = f["logo"] { logo = playerLogo(l, of: what) }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard !hasErrors else { return nil }
        return PlayerSpec(
            name: name, displayName: displayName, theme: theme, controls: controls, logo: logo, isDefault: isDefault,
            defaultLocation: f["default"].map { reader.location($0) }, location: reader.location(key))
    }

    private mutating func playerLogo(_ node: YAMLNode, of what: String) -> PlayerLogoSpec? {
        guard let f = reader.mapping(node, allowed: Self.logoKeys, what: "\(what) logo") else { return nil }
        guard let imageNode = f["image"] else {
            reader.error("\(what) logo is missing image (a PNG or JPEG file, relative to this manifest)", at: f.firstKeyNode)
            return nil
        }
        guard let linkNode = f["link"] else {
            reader.error(
                "\(what) logo is missing link (the https:// URL the logo opens; AIOZ requires one with the image)",
                at: f.firstKeyNode)
            return nil
        }
        var image: LocalFile?
        if let v = reader.string(imageNode, what: "image") {
            image = files.check(v, kind: .logo, manifestFile: reader.file, node: imageNode, into: &reader)
        }
        var link: String?
        if let v = reader.string(linkNode, what: "link") {
            if PlayerFields.isLink(v) {
                link = v
            } else {
                reader.error("link \"\(v)\" is not an https:// URL (https://host/path, no spaces)", at: linkNode)
            }
        }
        guard let image, let link else { return nil }
        return PlayerLogoSpec(image: image, link: link)
    }

    /// A video's `player:`: the name of an entry of `players:` (checked once every file is read).
    mutating func playerReference(_ node: YAMLNode) -> (name: String, node: YAMLNode)? {
        guard let name = reader.string(node, what: "player") else { return nil }
        guard Names.isValidName(name) else {
            reader.error("player \"\(name)\" must name an entry of players: (letters, digits, '-' and '_')", at: node)
            return nil
        }
        return (name, node)
    }
}
