/// How `capstan run` retries a failed sync, as Airbyte does: each failed attempt is followed by
/// another after a backoff, resuming from the last committed state, until a limit is reached and
/// the sync fails.
///
/// In YAML: `retries: {maxAttempts?, maxAttemptsWithoutData?, maxConsecutiveAttemptsWithoutData?,
/// backoff?: [10s, 30s, ...]}`. An attempt "without data" committed no document. A capture
/// without `retries` keeps capstan's own behaviour (Airbyte captures get ``airbyteDefault``).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts of one sync, in all.
    public var maxAttempts: Int
    /// Attempts that committed nothing, in all.
    public var maxAttemptsWithoutData: Int
    /// Attempts in a row that committed nothing.
    public var maxConsecutiveAttemptsWithoutData: Int
    /// The wait before the next attempt after the first, second… failure in a row without data;
    /// the last repeats. After an attempt that committed data the backoff starts over.
    public var backoffSeconds: [Int]

    /// Airbyte's defaults: 20 attempts, 10 without data, 5 in a row without data; 10 s, 30 s, 90 s,
    /// 4 min 30 s.
    public static let airbyteDefault = RetryPolicy(maxAttempts: 20, maxAttemptsWithoutData: 10, maxConsecutiveAttemptsWithoutData: 5,
                                                   backoffSeconds: [10, 30, 90, 270])

    /// A policy.
    public init(maxAttempts: Int, maxAttemptsWithoutData: Int, maxConsecutiveAttemptsWithoutData: Int, backoffSeconds: [Int]) {
        self.maxAttempts = maxAttempts
        self.maxAttemptsWithoutData = maxAttemptsWithoutData
        self.maxConsecutiveAttemptsWithoutData = maxConsecutiveAttemptsWithoutData
        self.backoffSeconds = backoffSeconds
    }

    /// The wait after `failuresInARow` (≥ 1) failed attempts in a row.
    public func backoff(afterFailuresInARow failuresInARow: Int) -> Int {
        guard !backoffSeconds.isEmpty else { return 0 }
        return backoffSeconds[min(max(failuresInARow, 1), backoffSeconds.count) - 1]
    }
}
