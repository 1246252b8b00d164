import Foundation

/// Output gathered by the reader threads.
final class ConnectorOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var allLines: [String] = []
    private var stderr: [String] = []
    private var checkpoints = 0
    private var stopped = false
    private var peak: Int?
    private var faults: Int?

    /// Records a stdout line; `atCheckpoint` is told the count after each checkpoint and returns true to stop recording.
    func appendLine(_ text: String, atCheckpoint: (Int) -> Bool) {
        lock.lock()
        defer { lock.unlock() }
        allLines.append(text)
        guard !stopped else { return }
        lines.append(text)
        if text.hasPrefix(#"{"checkpoint":"#) {
            checkpoints += 1
            if atCheckpoint(checkpoints) { stopped = true }
        }
    }

    /// Records a stderr line.
    func appendError(_ text: String) {
        lock.lock()
        stderr.append(text)
        lock.unlock()
    }

    /// Records a sample of the peak resident set size (KiB); the largest is kept.
    func notePeak(_ value: Int) {
        lock.lock()
        peak = max(peak ?? 0, value)
        lock.unlock()
    }

    /// Records a sample of the minor page faults; the largest is kept.
    func noteFaults(_ value: Int) {
        lock.lock()
        faults = max(faults ?? 0, value)
        lock.unlock()
    }

    /// What was gathered, as a run (its status and times are filled in by the caller).
    func snapshot() -> ConnectorRun {
        lock.lock()
        defer { lock.unlock() }
        return ConnectorRun(lines: lines, allLines: allLines, stderr: stderr, status: 0, killedBySignal: false, peakRSSKiB: peak,
                            minorFaults: faults, seconds: 0)
    }
}
