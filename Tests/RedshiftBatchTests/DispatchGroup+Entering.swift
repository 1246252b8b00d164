import Foundation

extension DispatchGroup {
    /// Wraps `body` so that the group is entered now and left when it returns.
    func entering(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        enter()
        return { [self] in
            body()
            leave()
        }
    }
}
