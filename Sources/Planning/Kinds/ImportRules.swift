/// The sentences and checks every kind's import shares: why an `import:` block cannot be applied.
///
/// Registry kinds (keys, streamings, players, webhooks) are "already managed" when any registry
/// entry of the project claims the id; marked kinds (videos, playlists) when they carry the
/// project's marks. An id that is not an object of the address's kind is blocked with the kind it
/// does belong to, when the executor found it as one (`Observation.importedElsewhere`).
enum ImportRules {
    /// Why an id of `kind` was not found: the kind it is instead, or that nothing has it.
    static func notFound(_ kind: ResourceKind, id: String, _ observed: Observation, _ options: PlanOptions, under: String? = nil)
        -> String
    {
        let place = under.map { " under \($0)" } ?? ""
        if let other = observed.importedElsewhere[id], other != kind {
            return "id \(id) is \(article(other.noun)) \(other.noun), not \(article(kind.noun)) \(kind.noun)\(place); "
                + "check the id in the import block"
        }
        return "no \(kind.noun) with id \(id)\(place) on \(options.serviceName); check the id in the import block"
    }

    /// Why a registry kind's import is blocked because the project already manages the id (nil: it does not).
    static func alreadyRegistered(id: String, _ registry: RegistryEntries) -> String? {
        guard let owner = registry.address(of: id) else { return nil }
        return "it is already managed as \(owner); remove the import block"
    }

    /// The reason every registry kind's import carries.
    static func registryReason(id: String) -> String {
        "made outside streamplan (id \(id)); apply records it in the project's registry"
    }

    static func article(_ noun: String) -> String {
        noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }
}
