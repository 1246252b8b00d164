import ArgumentParser
import FlowCapture
import Foundation
import JSON
import JSONSchema

/// `capstan schema check`: validates newline-delimited documents against a schema.
struct SchemaCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate newline-delimited JSON documents against a JSON Schema.",
        discussion: """
            Prints one line per invalid document: its line number, then each failing keyword with the \
            instance pointer and the schema location. Exit status: 0 if every document is valid, 1 if any \
            is not, 2 for a schema that does not compile or input that cannot be read.
            """
    )

    @Option(name: .long, help: "The JSON Schema file (draft 2020-12 unless its $schema says draft-07).")
    var schema: String

    @Flag(name: .long, help: "Assert formats (date-time, date, time, email, uuid, ipv4, ipv6, uri, …) instead of treating them as annotations.")
    var assertFormat = false

    @Argument(help: "The documents, one JSON value per line; '-' or nothing reads standard input.")
    var documents: String = "-"

    func run() throws {
        let compiled: Schema
        guard let data = FileManager.default.contents(atPath: schema) else {
            throw failure("\(schema): cannot read the file (\(FileManager.default.fileExists(atPath: schema) ? "permission denied or a directory" : "no such file"))", status: 2)
        }
        do {
            let text = String(decoding: data, as: UTF8.self)
            var options = SchemaOptions()
            options.assertFormat = assertFormat
            compiled = try Schema(JSON.parse(text), options: options)
        } catch {
            throw failure("\(schema): \(error)", status: 2)
        }

        let descriptor: Int32 = documents == "-" ? 0 : open(documents, O_RDONLY)
        guard descriptor >= 0 else { throw failure("\(documents): \(String(cString: strerror(errno)))", status: 2) }
        defer { if descriptor != 0 { close(descriptor) } }
        let reader = MessageReader(fileDescriptor: descriptor)
        var invalid = 0
        var total = 0
        var output = ""
        do {
            while let line = try reader.nextLine() {
                total += 1
                let document: JSON
                do {
                    document = try JSON.parse(bytes: line)
                } catch {
                    invalid += 1
                    output += "line \(reader.lineNumber): \(error)\n"
                    continue
                }
                let result = compiled.validate(document)
                if !result.isValid {
                    invalid += 1
                    output += "line \(reader.lineNumber): " + result.errors.map(\.description).joined(separator: "; ") + "\n"
                }
                if output.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output = ""
                }
            }
        } catch {
            FileHandle.standardOutput.write(Data(output.utf8))
            throw failure("\(documents): \(error)", status: 2)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        FileHandle.standardError.write(Data("\(total - invalid) valid, \(invalid) invalid\n".utf8))
        if invalid > 0 { throw ExitCode(1) }
    }

    private func failure(_ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("capstan schema check: \(message)\n".utf8))
        return ExitCode(status)
    }
}
