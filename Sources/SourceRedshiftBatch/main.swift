// source-redshift-batch: a Flow capture connector for Amazon Redshift and other PostgreSQL-wire databases.
// Speaks the capture protocol as NDJSON on stdin/stdout; logs JSON lines on stderr. See protocol/README.md.
import Foundation
import RedshiftBatch

if CommandLine.arguments.count > 1 {
    let wantsHelp = ["-h", "--help", "help"].contains(CommandLine.arguments[1])
    FileHandle.standardError.write(Data("""
        usage: source-redshift-batch
          Reads capture protocol requests (spec, discover, validate, apply, open) as
          newline-delimited JSON on stdin and writes responses on stdout.
          Logs are JSON lines on stderr. See protocol/README.md.

        """.utf8))
    exit(wantsHelp ? 0 : 2)
}
Connector.main()
