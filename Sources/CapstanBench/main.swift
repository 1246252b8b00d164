// capstan-bench: in-process benchmarks that scripts/bench runs. Each prints its figures and ratios.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "json":
    try JSONRoundTripBenchmark(arguments: Array(arguments.dropFirst())).run()
case "documents":
    try DocumentPathBenchmark(arguments: Array(arguments.dropFirst())).run()
case "schema":
    try SchemaValidationBenchmark(arguments: Array(arguments.dropFirst())).run()
default:
    FileHandle.standardError.write(Data("usage: capstan-bench json [--megabytes N] [--rounds N] [--file PATH] | schema [--documents N] [--rounds N]\n".utf8))
    exit(2)
}
