import XCTest
@testable import GoTemplate

/// Errors thrown by test functions.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension XCTestCase {
    /// Parses and executes `text`, failing the test on error.
    func render(
        _ text: String, _ data: TemplateValue = .null, functions: [String: TemplateFunction] = [:],
        options: Template.Options = .init(), file: StaticString = #filePath, line: UInt = #line
    ) -> String? {
        do {
            let template = try Template(name: "t", text: text, functions: functions, options: options)
            return try template.execute(data)
        } catch {
            XCTFail("\(text.debugDescription): \(error)", file: file, line: line)
            return nil
        }
    }

    /// Asserts that `text` renders `expected` exactly.
    func assertRenders(
        _ text: String, _ data: TemplateValue = .null, _ expected: String,
        functions: [String: TemplateFunction] = [:], options: Template.Options = .init(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let output = render(text, data, functions: functions, options: options, file: file, line: line) else {
            return
        }
        XCTAssertEqual(output, expected, "template \(text.debugDescription)", file: file, line: line)
    }

    /// The error parsing or executing `text`, failing the test if there is none.
    func templateError(
        _ text: String, _ data: TemplateValue = .null, functions: [String: TemplateFunction] = [:],
        options: Template.Options = .init(), file: StaticString = #filePath, line: UInt = #line
    ) -> TemplateError? {
        do {
            let template = try Template(name: "t", text: text, functions: functions, options: options)
            let output = try template.execute(data)
            XCTFail("\(text.debugDescription): expected an error, rendered \(output.debugDescription)", file: file, line: line)
        } catch {
            return error
        }
        return nil
    }

    /// Asserts that parsing `text` fails with exactly `message` (the full description).
    func assertParseError(
        _ text: String, _ message: String, functions: [String: TemplateFunction] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try Template(name: "t", text: text, functions: functions)
            XCTFail("\(text.debugDescription): expected a parse error", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, .parse, file: file, line: line)
            XCTAssertEqual(error.description, message, "template \(text.debugDescription)", file: file, line: line)
        }
    }

    /// Asserts that executing `text` fails with exactly `message` (the full description).
    func assertExecError(
        _ text: String, _ data: TemplateValue = .null, _ message: String,
        functions: [String: TemplateFunction] = [:], options: Template.Options = .init(),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let error = templateError(text, data, functions: functions, options: options, file: file, line: line) else {
            return
        }
        XCTAssertEqual(error.kind, .execution, "\(error)", file: file, line: line)
        XCTAssertEqual(error.description, message, "template \(text.debugDescription)", file: file, line: line)
    }
}
