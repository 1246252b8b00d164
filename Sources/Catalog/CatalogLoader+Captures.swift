import JSON

/// Captures, endpoints, bindings and storage.
extension CatalogLoader {
    static let captureFields = ["endpoint", "bindings", "interval", "schedule", "retries", "shards", "autoDiscover", "redactSalt", "expectPubId"]
    static let bindingFields = ["resource", "target", "disable", "backfill", "onIncompatible"]
    static let shardFields = ["disable", "logLevel", "minTxnDuration", "maxTxnDuration", "hotStandbys", "ringBufferSize", "readChannelSize"]

    func decodeCapture(name: String, _ value: JSON, _ site: Site) -> PendingCapture? {
        if let problem = CatalogName.problem(with: name) {
            report(site, key: true, "invalid capture name \"\(name)\": \(problem)")
        }
        guard let object = object(
            value, site, allowed: Self.captureFields, required: ["endpoint", "bindings"],
            special: ["delete": "\"delete\" is a Flow control-plane instruction; remove the capture from the catalog instead"])
        else { return nil }

        let placeholder = CaptureEndpoint.ingest(IngestEndpoint())
        let decodedEndpoint = object["endpoint"].flatMap { decodeEndpoint($0, site.appending("endpoint")) }
        var capture = CaptureDefinition(name: name, endpoint: decodedEndpoint ?? placeholder, sourceFile: relativePath(of: site))
        var targetSites: [Site] = []
        var resourceSites: [Site?] = []
        var ingestBindings: [IngestBindingSites] = []
        if let list = object["bindings"], let elements = sequence(list, site.appending("bindings")) {
            for (index, element) in elements.enumerated() {
                let bindingSite = site.appending("bindings").appending(index)
                let (binding, resourceSite) = decodeBinding(element, bindingSite)
                capture.bindings.append(binding)
                targetSites.append(bindingSite.appending("target"))
                resourceSites.append(resourceSite)
                ingestBindings.append(IngestBindingSites(binding: bindingSite, resource: resourceSite))
            }
        }
        if case .ingest = decodedEndpoint { checkIngestBindings(capture.bindings, ingestBindings) }
        if case .airbyte = decodedEndpoint {
            for (index, binding) in capture.bindings.enumerated() {
                guard let resourceSite = resourceSites[index] else { continue }
                _ = AirbyteResource.decode(binding.resource) { pointer, key, message in
                    report(Site(file: resourceSite.file, pointer: JSONPointer(tokens: resourceSite.pointer.tokens + pointer.tokens)), key: key, message)
                }
            }
        }
        if let schedule = object["schedule"] {
            capture.schedule = decodeSchedule(schedule, site.appending("schedule"))
            if object["interval"] != nil {
                report(site.appending("schedule"), key: true, "give either interval or schedule, not both")
            }
        }
        if let retries = object["retries"] { capture.retries = decodeRetries(retries, site.appending("retries")) }
        if let interval = object["interval"] {
            let intervalSite = site.appending("interval")
            if let nanos = duration(interval, intervalSite) {
                if nanos % 1_000_000_000 != 0 {
                    report(intervalSite, "the interval must be a whole number of seconds")
                } else if nanos / 1_000_000_000 > UInt64(UInt32.max) {
                    report(intervalSite, "the interval is too long")
                } else {
                    capture.intervalSeconds = Int(nanos / 1_000_000_000)
                }
            }
        }
        if let shards = object["shards"] { capture.shards = decodeShards(shards, site.appending("shards")) }
        if let auto = object["autoDiscover"], !auto.isNull {
            let autoSite = site.appending("autoDiscover")
            if let fields = self.object(auto, autoSite, allowed: ["addNewBindings", "evolveIncompatibleCollections"]) {
                var settings = AutoDiscover()
                if let flag = fields["addNewBindings"], let value = bool(flag, autoSite.appending("addNewBindings")) { settings.addNewBindings = value }
                if let flag = fields["evolveIncompatibleCollections"], let value = bool(flag, autoSite.appending("evolveIncompatibleCollections")) {
                    settings.evolveIncompatibleCollections = value
                }
                capture.autoDiscover = settings
            }
        }
        if let salt = object["redactSalt"] { capture.redactSalt = string(salt, site.appending("redactSalt")) }
        if let id = object["expectPubId"] { capture.expectPubId = string(id, site.appending("expectPubId")) }
        return PendingCapture(definition: capture, site: site, targetSites: targetSites, resourceSites: resourceSites)
    }

    // MARK: - Endpoints

    func decodeEndpoint(_ value: JSON, _ site: Site) -> CaptureEndpoint? {
        guard let object = object(value, site, allowed: CaptureEndpoint.kinds) else { return nil }
        let present = CaptureEndpoint.kinds.filter { object[$0] != nil }
        guard let kind = present.first else {
            if object.keys.allSatisfy({ CaptureEndpoint.kinds.contains($0) }) {
                report(site, "an endpoint needs one of: \(CaptureEndpoint.kinds.joined(separator: ", "))")
            }
            return nil
        }
        if present.count > 1 {
            report(site.appending(present[1]), key: true, "an endpoint has exactly one of \(CaptureEndpoint.kinds.joined(separator: ", ")); found both \(present[0]) and \(present[1])")
            return nil
        }
        let kindSite = site.appending(kind)
        let body = object[kind]!
        switch kind {
        case "local":
            guard let fields = self.object(body, kindSite, allowed: ["command", "config", "env", "protobuf"], required: ["command", "config"]) else { return nil }
            let command = fields["command"].flatMap { self.command($0, kindSite.appending("command")) }
            let config = fields["config"].flatMap { self.config($0, kindSite.appending("config")) }
            let env = fields["env"].map { self.environment($0, kindSite.appending("env")) } ?? [:]
            let protobuf = fields["protobuf"].flatMap { bool($0, kindSite.appending("protobuf")) } ?? false
            guard let command, let config else { return nil }
            return .local(LocalEndpoint(command: command, config: config.value, configFile: config.file, env: env, protobuf: protobuf))
        case "airbyte":
            return decodeAirbyteEndpoint(body, kindSite).map(CaptureEndpoint.airbyte)
        case "connector":
            guard let fields = self.object(body, kindSite, allowed: ["image", "config"], required: ["image", "config"]) else { return nil }
            var image = fields["image"].flatMap { string($0, kindSite.appending("image")) }
            if image?.isEmpty == true {
                report(kindSite.appending("image"), "the image must not be empty")
                image = nil
            }
            let config = fields["config"].flatMap { self.config($0, kindSite.appending("config")) }
            guard let image, let config else { return nil }
            return .connector(ConnectorEndpoint(image: image, config: config.value, configFile: config.file))
        default:
            if body.isNull { return .ingest(IngestEndpoint()) }
            guard let fields = self.object(body, kindSite, allowed: ["tokens", "maxBodyBytes"]) else { return nil }
            var endpoint = IngestEndpoint()
            if let tokens = fields["tokens"] {
                // Not through strings(_:_:), whose type errors quote the value: a token is a secret.
                let site = kindSite.appending("tokens")
                if case .array(let items) = tokens, case let list = items.compactMap(\.stringValue), list.count == items.count {
                    for (index, token) in list.enumerated() where token.isEmpty {
                        report(site.appending(index), "a token must not be empty")
                    }
                    endpoint.tokens = list
                } else {
                    report(site, "expected a sequence of strings (the value is not shown: tokens are secrets)")
                }
            }
            if let limit = fields["maxBodyBytes"], let bytes = integer(limit, kindSite.appending("maxBodyBytes"), maximum: Int64.max) {
                if bytes == 0 { report(kindSite.appending("maxBodyBytes"), "maxBodyBytes must be at least 1") } else { endpoint.maxBodyBytes = bytes }
            }
            return .ingest(endpoint)
        }
    }

    func command(_ value: JSON, _ site: Site) -> [String]? {
        guard let argv = strings(value, site) else { return nil }
        guard let program = argv.first else {
            report(site, "the command is empty; it needs at least the program to run")
            return nil
        }
        if program.isEmpty {
            report(site.appending(0), "the program (the command's first element) is empty")
            return nil
        }
        return argv
    }

    func environment(_ value: JSON, _ site: Site) -> [String: String] {
        guard let members = mapping(value, site) else { return [:] }
        var env: [String: String] = [:]
        for member in members {
            switch member.value {
            case .string(let text): env[member.key] = text
            case .number(let number): env[member.key] = number.text
            case .bool(let flag): env[member.key] = String(flag)
            default: typeMismatch(member.value, site.appending(member.key), expected: "a string")
            }
        }
        return env
    }

    /// A configuration: inline, or the path of a YAML or JSON file relative to the catalog file.
    func config(_ value: JSON, _ site: Site) -> (value: JSON, file: String?)? {
        guard let (content, file, contentSite) = inlineOrFile(value, site, what: "configuration") else { return nil }
        guard case .object(let object) = content else {
            typeMismatch(content, contentSite, expected: file == nil ? "a mapping or a relative file path" : "a mapping")
            return nil
        }
        if object["sops"] != nil {
            report(contentSite.appending("sops"), key: true, "sops-encrypted configuration is not supported: decrypt it (sops --decrypt) and give the plain configuration")
            return nil
        }
        return (content, file)
    }

    /// A value written inline or as the relative path of a file holding it.
    func inlineOrFile(_ value: JSON, _ site: Site, what: String) -> (value: JSON, file: String?, site: Site)? {
        guard case .string(let reference) = value else { return (value, nil, site) }
        if reference.isEmpty {
            report(site, "expected a \(what) or the relative path of a file holding it, found an empty string")
            return nil
        }
        if FilePaths.isURL(reference) {
            report(site, "\(what) URLs are not supported; give a relative file path")
            return nil
        }
        guard let (fileSite, content) = loadDataFile(reference, referrer: site) else { return nil }
        return (content, reference, fileSite)
    }

    // MARK: - Bindings

    /// A binding, and the site of its resource's content (nil when the resource is missing or not a mapping).
    func decodeBinding(_ value: JSON, _ site: Site) -> (BindingDefinition, Site?) {
        var binding = BindingDefinition(resource: JSON.object(JSONObject()), target: "")
        var resourceSite: Site?
        guard let object = object(value, site, allowed: Self.bindingFields, required: ["resource", "target"]) else { return (binding, nil) }
        if let resource = object["resource"], let (content, file, contentSite) = inlineOrFile(resource, site.appending("resource"), what: "resource") {
            if case .object = content {
                binding.resource = content
                binding.resourceFile = file
                resourceSite = contentSite
            } else {
                typeMismatch(content, contentSite, expected: file == nil ? "a mapping or a relative file path" : "a mapping")
            }
        }
        if let target = object["target"], let name = name(target, site.appending("target")) { binding.target = name }
        if let disable = object["disable"], let flag = bool(disable, site.appending("disable")) { binding.disable = flag }
        if let backfill = object["backfill"], let count = integer(backfill, site.appending("backfill")) { binding.backfill = UInt32(count) }
        if let action = object["onIncompatible"], let text = string(action, site.appending("onIncompatible")) {
            if let parsed = OnIncompatible(rawValue: text) {
                binding.onIncompatible = parsed
            } else {
                report(site.appending("onIncompatible"), "invalid onIncompatible \"\(text)\"; expected \"fail\" or \"reject\"")
            }
        }
        return (binding, resourceSite)
    }

    // MARK: - Shards

    private func decodeShards(_ value: JSON, _ site: Site) -> ShardTemplate {
        var shards = ShardTemplate()
        guard let object = object(value, site, allowed: Self.shardFields) else { return shards }
        if let disable = object["disable"], let flag = bool(disable, site.appending("disable")) { shards.disable = flag }
        if let level = object["logLevel"], let text = string(level, site.appending("logLevel")) {
            if ShardTemplate.logLevels.contains(text) {
                shards.logLevel = text
            } else {
                report(site.appending("logLevel"), "invalid log level \"\(text)\"; expected one of: \(ShardTemplate.logLevels.joined(separator: ", "))")
            }
        }
        func durationField(_ key: String) -> Duration? {
            guard let value = object[key], let nanos = duration(value, site.appending(key)) else { return nil }
            guard nanos <= UInt64(Int64.max) else {
                report(site.appending(key), "the duration is too long")
                return nil
            }
            return .nanoseconds(Int64(nanos))
        }
        shards.minTxnDuration = durationField("minTxnDuration")
        shards.maxTxnDuration = durationField("maxTxnDuration")
        func countField(_ key: String) -> UInt32? {
            guard let value = object[key], let count = integer(value, site.appending(key)) else { return nil }
            return UInt32(count)
        }
        shards.hotStandbys = countField("hotStandbys")
        shards.ringBufferSize = countField("ringBufferSize")
        shards.readChannelSize = countField("readChannelSize")
        return shards
    }

    // MARK: - Storage

    func decodeStorage(_ value: JSON, _ site: Site) -> StorageDefinition? {
        guard let object = object(value, site, allowed: ["local", "postgres"]) else { return nil }
        let present = ["local", "postgres"].filter { object[$0] != nil }
        guard let kind = present.first else {
            report(site, "storage needs one of: local, postgres")
            return nil
        }
        if present.count > 1 {
            report(site.appending("postgres"), key: true, "storage is either local or postgres, not both")
            return nil
        }
        let kindSite = site.appending(kind)
        let body = object[kind]!
        if kind == "local" {
            var path: String?
            switch body {
            case .string(let text): path = text
            case .object:
                if let fields = self.object(body, kindSite, allowed: ["path"], required: ["path"]), let given = fields["path"] {
                    path = string(given, kindSite.appending("path"))
                }
            default: typeMismatch(body, kindSite, expected: "a directory path")
            }
            guard let path else { return nil }
            if path.isEmpty {
                report(kindSite, "the storage directory must not be empty")
                return nil
            }
            return .local(path: path)
        }
        guard let fields = self.object(body, kindSite, allowed: ["url", "urlEnv", "schema"]) else { return nil }
        var settings = PostgresStorage()
        if let url = fields["url"] { settings.url = string(url, kindSite.appending("url")) }
        if let env = fields["urlEnv"] { settings.urlEnv = string(env, kindSite.appending("urlEnv")) }
        if let schema = fields["schema"] { settings.schema = string(schema, kindSite.appending("schema")) }
        if fields["url"] != nil && fields["urlEnv"] != nil {
            report(kindSite.appending("urlEnv"), key: true, "give either url or urlEnv, not both")
            return nil
        }
        if fields["url"] == nil && fields["urlEnv"] == nil {
            report(kindSite, "postgres storage needs \"url\" (which may use ${NAME} environment references) or \"urlEnv\"")
            return nil
        }
        if settings.url == nil && settings.urlEnv == nil { return nil }
        return .postgres(settings)
    }
}
