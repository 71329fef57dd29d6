import Foundation
import Planning

/// The mark a create carries so that, when its answer is lost, the object it made is told apart from
/// every other object of its address: above all from the one it replaces, which carries the same
/// address mark (issue 26). Written in the create request, dropped by the next write of the marks.
enum CreateToken {
    static let key = "streamplan.create_token"
    /// AIOZ keeps at most 50 metadata pairs: the token is left out of a create that has no room for it.
    static let metadataLimit = 50

    /// A random value no other create carries.
    static func make() -> String { UUID().uuidString.lowercased() }
}

/// The last check before a replace deletes the old object: the new one must be another object, and
/// must be on the account. A replace that cannot prove both fails and leaves the old one alone.
enum ReplaceGuard {
    static func check(address: Address, old: String, new: String, exists: () async throws -> Bool) async throws {
        guard new != old else {
            throw ApplyError("\(address): its replacement has the old object's id (\(old)); the old one was not deleted")
        }
        guard try await exists() else {
            throw ApplyError(
                "\(address): its replacement \(new) is not on the account; the old one (\(old)) was not deleted; run apply again")
        }
    }
}
