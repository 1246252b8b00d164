import CapstanTestSupport
import Foundation

/// Catalogs for the tests that run the scripted test connector (``RepositoryPaths/scriptedConnector``).
enum ScriptedCatalog {

    /// A catalog with one capture `name`, run by `command` (a YAML flow list) with `env` (a YAML flow mapping) and
    /// the capture-level `setting` line if any (such as `interval: 1h`), whose one binding `things` goes to
    /// `test/things` (documents keyed by an integer `id`); then `storage`'s lines.
    static func yaml(capture name: String, command: String, env: String, setting: String? = nil, storage: TestStorage = .local) -> String {
        """
        captures:
          \(name):
            endpoint:
              local:
                command: \(command)
                config: {}
                env: \(env)
        \(setting.map { "    \($0)\n" } ?? "")    bindings:
              - resource: {name: things}
                target: test/things
        collections:
          test/things:
            schema: {type: object, required: [id], properties: {id: {type: integer}}}
            key: [/id]
        \(storage.yaml)
        """
    }
}
