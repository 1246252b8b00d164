import FlowCapture
import JSON

/// The connector's `spec` response: configuration schemas compatible with the original connector's.
///
/// Property names, types, required lists, defaults, enums, patterns, order and the
/// `secret`/`advanced`/`multiline`/`nonsensitive` annotations match the original, so its
/// configurations validate unchanged. Options the original lacks are additive and live under `advanced`.
public enum ConnectorSpec {
    public static let documentationURL = "https://github.com/capstan-dev/capstan/blob/main/README.md#source-redshift-batch"

    /// The polling schedule pattern: a Go duration of h/m/s/ms units, or `daily at HH:MMZ`.
    static let pollPattern = "^([-+]?([0-9]+([.][0-9]+)?(h|m|s|ms))+|daily at [0-9][0-9]?:[0-9]{2}Z)$"
    /// A positive Go duration.
    static let durationPattern = "^([0-9]+([.][0-9]+)?(h|m|s|ms))+$"

    public static var response: SpecResponse {
        SpecResponse(configSchema: configSchema, resourceConfigSchema: resourceSchema, documentationUrl: documentationURL,
                     resourcePathPointers: ["/name"])
    }

    public static var configSchema: JSON {
        // Built from text so that key order is exactly as written.
        try! JSON.parse(#"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://capstan.dev/connectors/source-redshift-batch/config.schema.json",
          "properties": {
            "address": {
              "type": "string",
              "title": "Server Address",
              "description": "Host and port of the Redshift cluster or workgroup endpoint, as host:port. Without a port, 5439 is used.",
              "order": 0
            },
            "user": {
              "type": "string",
              "description": "Database user the connector signs in as.",
              "default": "flow_capture",
              "order": 1
            },
            "password": {
              "type": "string",
              "description": "Password of that user. It is never logged.",
              "order": 2,
              "secret": true
            },
            "database": {
              "type": "string",
              "description": "Database to capture from.",
              "default": "dev",
              "order": 3
            },
            "advanced": {
              "properties": {
                "discover_views": {
                  "type": "boolean",
                  "title": "Discover Views",
                  "description": "Also propose bindings for views. Views have no primary key, so they are keyed by /_meta/row_id.",
                  "nonsensitive": true
                },
                "poll": {
                  "type": "string",
                  "title": "Default Polling Schedule",
                  "description": "When bindings without a schedule of their own poll: an interval such as 5m or 1h30m, or a daily UTC time such as \"daily at 12:34Z\". Defaults to 24h.",
                  "pattern": "\#(pollPattern)",
                  "nonsensitive": true
                },
                "discover_schemas": {
                  "items": {
                    "type": "string"
                  },
                  "type": "array",
                  "title": "Discovery Schema Selection",
                  "description": "Only tables of these schemas are discovered. When empty, every schema except the system ones is.",
                  "nonsensitive": true
                },
                "sslmode": {
                  "type": "string",
                  "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
                  "title": "SSL Mode",
                  "description": "How the connection uses TLS, as libpq's sslmode. Unset means prefer."
                },
                "source_tag": {
                  "type": "string",
                  "title": "Source Tag",
                  "description": "When set, every document carries this value at /_meta/source/tag.",
                  "nonsensitive": true
                },
                "feature_flags": {
                  "type": "string",
                  "title": "Feature Flags",
                  "description": "Comma-separated flags that change the connector's behaviour; a no_ prefix turns one off. For support use.",
                  "nonsensitive": true
                },
                "concurrency": {
                  "type": "integer",
                  "title": "Concurrent Queries",
                  "description": "At most this many binding queries run at once; the others wait their turn.",
                  "minimum": 1,
                  "maximum": 1000,
                  "default": 5,
                  "nonsensitive": true
                },
                "query_timeout": {
                  "type": "string",
                  "title": "Query Timeout",
                  "description": "A poll fails if its query returns no first row within this duration, or no further row within a sixth of it (5m of the default). Defaults to 30m.",
                  "pattern": "\#(durationPattern)",
                  "nonsensitive": true
                },
                "connect_timeout": {
                  "type": "string",
                  "title": "Connect Timeout",
                  "description": "How long to wait for the database to accept a connection. Defaults to 30s.",
                  "pattern": "\#(durationPattern)",
                  "nonsensitive": true
                },
                "exit_after_poll": {
                  "type": "boolean",
                  "title": "Exit After One Poll",
                  "description": "Poll every binding once, immediately, then exit successfully: for batch schedulers such as cron or Airflow, which choose when to run.",
                  "default": false,
                  "nonsensitive": true
                }
              },
              "additionalProperties": false,
              "type": "object",
              "title": "Advanced Options",
              "description": "Options most captures never need.",
              "advanced": true
            },
            "networkTunnel": {
              "properties": {
                "sshForwarding": {
                  "properties": {
                    "sshEndpoint": {
                      "type": "string",
                      "title": "SSH Endpoint",
                      "description": "The bastion host to tunnel through, as ssh://user@host[:port].",
                      "pattern": "^ssh://.+@.+$"
                    },
                    "privateKey": {
                      "type": "string",
                      "title": "SSH Private Key",
                      "description": "Private key of the bastion user, in OpenSSH or PEM format. It is never logged.",
                      "multiline": true,
                      "secret": true
                    },
                    "hostKey": {
                      "type": "string",
                      "title": "SSH Host Key",
                      "description": "Optional. The bastion's host key: a known_hosts line (as ssh-keyscan prints it) or a SHA256: fingerprint (as ssh-keygen -lf prints it); several, one per line, are allowed. When set, a bastion presenting another key is refused.",
                      "multiline": true
                    }
                  },
                  "additionalProperties": false,
                  "type": "object",
                  "required": ["sshEndpoint", "privateKey"],
                  "title": "SSH Forwarding"
                }
              },
              "additionalProperties": false,
              "type": "object",
              "title": "Network Tunnel",
              "description": "Reach a database on a private network through an SSH bastion."
            }
          },
          "type": "object",
          "required": ["address", "user", "password", "database"],
          "title": "Redshift Batch"
        }
        """#)
    }

    public static var resourceSchema: JSON {
        try! JSON.parse(#"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://capstan.dev/connectors/source-redshift-batch/resource.schema.json",
          "properties": {
            "name": {
              "type": "string",
              "title": "Name",
              "description": "The binding's unique name, which is also its resource path.",
              "order": 0
            },
            "schema": {
              "type": "string",
              "title": "Schema Name",
              "description": "Schema of the table to capture.",
              "order": 1
            },
            "table": {
              "type": "string",
              "title": "Table Name",
              "description": "Table to capture.",
              "order": 2
            },
            "cursor": {
              "items": {
                "type": "string"
              },
              "type": "array",
              "title": "Cursor Columns",
              "description": "Columns whose values only grow, such as an updated_at timestamp, so each poll reads only newer rows. Empty means the whole table is read on every poll.",
              "order": 3
            },
            "poll": {
              "type": "string",
              "title": "Polling Schedule",
              "description": "When this binding polls, overriding the default: an interval such as 5m, or \"daily at 12:34Z\".",
              "pattern": "\#(pollPattern)",
              "nonsensitive": true,
              "order": 4
            },
            "template": {
              "type": "string",
              "title": "Query Template Override",
              "description": "A Go text/template query replacing the default one. It sees .SchemaName, .TableName, .CursorFields and .IsFirstQuery, and the functions quoteIdentifier, quoteTableName and add.",
              "multiline": true,
              "order": 5
            }
          },
          "type": "object",
          "required": ["name"],
          "title": "Redshift Batch Resource"
        }
        """#)
    }
}
