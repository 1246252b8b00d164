/// Where an ingest binding and its resource mapping were written.
struct IngestBindingSites {
    var binding: CatalogLoader.Site
    /// Nil when the resource is missing or not a mapping (already reported).
    var resource: CatalogLoader.Site?
}

/// The bindings of `ingest` captures: the runtime is their connector, so their resources are
/// checked here.
extension CatalogLoader {
    static let ingestResourceFields = [IngestBindingName.field]

    /// Each resource is `{name}` with a valid, unique binding name; `onIncompatible: reject` is
    /// refused (a pushed request with an invalid document is answered 400 and commits nothing).
    func checkIngestBindings(_ bindings: [BindingDefinition], _ sites: [IngestBindingSites]) {
        var firstByName: [String: CatalogLoader.Site] = [:]
        for (binding, site) in zip(bindings, sites) {
            if binding.onIncompatible == .reject {
                report(site.binding.appending("onIncompatible"), "onIncompatible: reject does not apply to ingest bindings: a request with an invalid document is answered 400 and nothing of it commits")
            }
            guard let resourceSite = site.resource else { continue }
            let special = ["path": "ingest bindings are named by \"name\", the last segment of their URL path /<capture>/<name> (write name: events, not path: /events)"]
            guard let fields = object(binding.resource, resourceSite, allowed: Self.ingestResourceFields, required: [IngestBindingName.field], special: special),
                  let value = fields[IngestBindingName.field]
            else { continue }
            let nameSite = resourceSite.appending(IngestBindingName.field)
            guard let name = string(value, nameSite) else { continue }
            if let problem = IngestBindingName.problem(with: name) {
                report(nameSite, "invalid binding name \"\(name)\": \(problem)")
            } else if let first = firstByName[name] {
                report(nameSite, "binding name \"\(name)\" is already used at \(place(first, key: false)); the bindings of an ingest capture need distinct names")
            } else {
                firstByName[name] = nameSite
            }
        }
    }
}
