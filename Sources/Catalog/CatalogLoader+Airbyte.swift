import JSON

/// Airbyte endpoints, schedules and retry policies, and the checks between Airbyte bindings and their collections.
extension CatalogLoader {
    static let airbyteEndpointFields = ["command", "config", "env", "prefix", "namespaceDefinition", "namespaceFormat", "heartbeat"]

    func decodeAirbyteEndpoint(_ body: JSON, _ site: Site) -> AirbyteEndpoint? {
        guard let fields = object(body, site, allowed: Self.airbyteEndpointFields, required: ["command", "config"]) else { return nil }
        let command = fields["command"].flatMap { self.command($0, site.appending("command")) }
        let config = fields["config"].flatMap { self.config($0, site.appending("config")) }
        let env = fields["env"].map { self.environment($0, site.appending("env")) } ?? [:]
        guard let command, let config else { return nil }
        var endpoint = AirbyteEndpoint(command: command, config: config.value, configFile: config.file, env: env)
        if let prefix = fields["prefix"], let text = string(prefix, site.appending("prefix")) { endpoint.prefix = text }
        if let definition = fields["namespaceDefinition"], let text = string(definition, site.appending("namespaceDefinition")) {
            if let parsed = AirbyteNamespaceDefinition(rawValue: text) {
                endpoint.namespaceDefinition = parsed
            } else {
                report(site.appending("namespaceDefinition"), "invalid namespaceDefinition \"\(text)\"; expected one of: \(AirbyteNamespaceDefinition.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let format = fields["namespaceFormat"], let text = string(format, site.appending("namespaceFormat")) { endpoint.namespaceFormat = text }
        if endpoint.namespaceDefinition == .customFormat && endpoint.namespaceFormat == nil && fields["namespaceDefinition"] != nil {
            report(site.appending("namespaceDefinition"), "namespaceDefinition customformat needs a namespaceFormat, such as \"airbyte_${SOURCE_NAMESPACE}\"")
        }
        if fields["namespaceFormat"] != nil && endpoint.namespaceDefinition != .customFormat {
            report(site.appending("namespaceFormat"), key: true, "namespaceFormat is used only with namespaceDefinition: customformat")
        }
        if let heartbeat = fields["heartbeat"], let nanos = duration(heartbeat, site.appending("heartbeat")) {
            if nanos < 1_000_000_000 || nanos % 1_000_000_000 != 0 {
                report(site.appending("heartbeat"), "the heartbeat must be a whole number of seconds, at least 1s")
            } else {
                endpoint.heartbeatSeconds = Int(min(nanos / 1_000_000_000, UInt64(Int32.max)))
            }
        }
        return endpoint
    }

    /// `manual`, or `{cron, timeZone?}`.
    func decodeSchedule(_ value: JSON, _ site: Site) -> CaptureSchedule? {
        if case .string(let text) = value {
            guard text == "manual" else {
                report(site, "a schedule is \"manual\" or {cron: \"<5 fields>\", timeZone?: <zone>}; found \"\(text)\"")
                return nil
            }
            return .manual
        }
        guard let fields = object(value, site, allowed: ["cron", "timeZone"], required: ["cron"]),
              let expression = fields["cron"].flatMap({ string($0, site.appending("cron")) }) else { return nil }
        var zone = "UTC"
        if let given = fields["timeZone"], let text = string(given, site.appending("timeZone")) { zone = text }
        do {
            return .cron(try CronSchedule(expression, timeZone: zone))
        } catch {
            report(site.appending(error.message.hasPrefix("unknown time zone") ? "timeZone" : "cron"), error.message)
            return nil
        }
    }

    /// `{maxAttempts?, maxAttemptsWithoutData?, maxConsecutiveAttemptsWithoutData?, backoff?}`.
    func decodeRetries(_ value: JSON, _ site: Site) -> RetryPolicy? {
        let names = ["maxAttempts", "maxAttemptsWithoutData", "maxConsecutiveAttemptsWithoutData", "backoff"]
        guard let fields = object(value, site, allowed: names) else { return nil }
        var policy = RetryPolicy.airbyteDefault
        func count(_ key: String) -> Int? {
            guard let given = fields[key], let number = integer(given, site.appending(key)) else { return nil }
            if number < 1 { report(site.appending(key), "\(key) must be at least 1") }
            return max(number, 1)
        }
        policy.maxAttempts = count("maxAttempts") ?? policy.maxAttempts
        policy.maxAttemptsWithoutData = count("maxAttemptsWithoutData") ?? policy.maxAttemptsWithoutData
        policy.maxConsecutiveAttemptsWithoutData = count("maxConsecutiveAttemptsWithoutData") ?? policy.maxConsecutiveAttemptsWithoutData
        if let backoff = fields["backoff"], let list = sequence(backoff, site.appending("backoff")) {
            var seconds: [Int] = []
            for (index, element) in list.enumerated() {
                guard let nanos = duration(element, site.appending("backoff").appending(index)) else { continue }
                seconds.append(Int(min(nanos / 1_000_000_000, UInt64(Int32.max))))
            }
            policy.backoffSeconds = seconds
        }
        return policy
    }

    /// Airbyte bindings against their collections: the collection key's fields cannot be excluded, and
    /// append_dedup needs a primary key (not `/_meta/row_id`).
    func checkAirbyteBindings() {
        for capture in captures {
            guard case .airbyte = capture.definition.endpoint else { continue }
            for (index, binding) in capture.definition.bindings.enumerated() {
                guard index < capture.resourceSites.count, let site = capture.resourceSites[index],
                      let resource = AirbyteResource.decode(binding.resource, problem: { _, _, _ in }),
                      let collection = collections.first(where: { $0.definition.name == binding.target })?.definition else { continue }
                let keyFields = collection.key.compactMap { $0.split(separator: "/").first.map(String.init) }
                if case .exclude(let excluded) = resource.fields {
                    for field in keyFields where excluded.contains(field) {
                        report(site.appending("fields").appending("exclude"), "field \"\(field)\" is in the key of collection \"\(collection.name)\" and cannot be excluded")
                    }
                }
                if resource.destinationSyncMode == .appendDedup && collection.key == ["/_meta/row_id"] {
                    report(site.appending("destinationSyncMode"), "append_dedup needs a primary key, but collection \"\(collection.name)\" is keyed by /_meta/row_id; give the stream a primaryKey and key the collection by it, or use append")
                }
            }
        }
    }
}
