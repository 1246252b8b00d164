/// The port a server reported, handed across threads.
final class PortBox: @unchecked Sendable {
    var port = 0
}
