/// A refused or failed write: a stable code, the path as the user gave it, and what went wrong.
/// Rendered by the front end as `error: PATH: MESSAGE`.
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// A stable identifier of the kind of failure (`protected-folder`, `not-mayak-output`, …).
    public let code: String
    public let path: String
    public let message: String

    public init(_ code: String, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
