import Catalog
import Foundation
import XCTest

final class CronScheduleTests: XCTestCase {
    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testNextTimes() throws {
        let daily = try CronSchedule("30 3 * * *")
        XCTAssertEqual(daily.next(after: date("2025-01-01T03:30:00Z")), date("2025-01-02T03:30:00Z"))
        XCTAssertEqual(daily.next(after: date("2025-01-01T03:29:59Z")), date("2025-01-01T03:30:00Z"))
        let weekdays = try CronSchedule("*/15 9-17 * * mon-fri")
        XCTAssertEqual(weekdays.next(after: date("2025-01-04T10:00:00Z")), date("2025-01-06T09:00:00Z"), "Saturday → Monday 09:00")
        let paris = try CronSchedule("0 6 1 * *", timeZone: "Europe/Paris")
        XCTAssertEqual(paris.next(after: date("2025-07-15T00:00:00Z")), date("2025-08-01T04:00:00Z"), "06:00 CEST is 04:00Z")
        let either = try CronSchedule("0 0 13 * fri")
        XCTAssertEqual(either.next(after: date("2025-06-01T00:00:00Z")), date("2025-06-06T00:00:00Z"), "a Friday before the 13th")
        XCTAssertNil(try CronSchedule("0 0 31 2 *").next(after: date("2025-01-01T00:00:00Z")))
    }

    func testErrorsSayWhichFieldIsWrong() {
        XCTAssertThrowsError(try CronSchedule("* * * *")) { XCTAssertTrue("\($0)".contains("has 4"), "\($0)") }
        XCTAssertThrowsError(try CronSchedule("61 * * * *")) { XCTAssertTrue("\($0)".contains("minute"), "\($0)") }
        XCTAssertThrowsError(try CronSchedule("0 0 * foo *")) { XCTAssertTrue("\($0)".contains("month"), "\($0)") }
        XCTAssertThrowsError(try CronSchedule("0 0 * * *", timeZone: "Mars/Base")) { XCTAssertTrue("\($0)".contains("time zone"), "\($0)") }
    }
}
