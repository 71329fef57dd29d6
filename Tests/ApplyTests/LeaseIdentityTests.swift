import Foundation
import Testing

@testable import Apply

/// When a lease's or a lock's holder may be taken for dead (issue 26, item 3).
@Suite("the holder's identity across PID namespaces")
struct LeaseIdentityTests {
    static let here = "boot-1/pid:[4026531836]"

    func dead(_ process: String, hereNamespace: String? = here, alive: Bool = false) -> Bool {
        AccountLease.State.isDead(process, hereHost: "runner", hereNamespace: hereNamespace, isAlive: { _ in alive })
    }

    @Test("dead only when the holder recorded this host and this PID namespace, and its process is gone")
    func decision() {
        #expect(dead("runner 77 123 \(Self.here)"))
        #expect(!dead("runner 77 123 \(Self.here)", alive: true))
        // Another container with the same host name: another PID namespace, or another boot.
        #expect(!dead("runner 77 123 boot-1/pid:[4026532999]"))
        #expect(!dead("runner 77 123 boot-2/pid:[4026531836]"))
        // Another host; an older streamplan's three fields; a holder or a reader without /proc.
        #expect(!dead("other 77 123 \(Self.here)"))
        #expect(!dead("runner 77 123"))
        #expect(!dead("runner 77 123 -"))
        #expect(!dead("runner 77 123 \(Self.here)", hereNamespace: nil))
        #expect(!dead("runner x 123 \(Self.here)"))
        #expect(!dead(""))
    }

    @Test("this process's namespace is read from /proc, and the lease this apply writes carries it")
    func recorded() throws {
        let namespace = try #require(ProcessIdentity.namespace)
        #expect(namespace.contains("/pid:[") && !namespace.contains(" "))
        #expect(ProcessIdentity.canCheck(host: "h", namespace: namespace, hereHost: "h", hereNamespace: namespace))
        #expect(!ProcessIdentity.canCheck(host: "h", namespace: nil, hereHost: "h", hereNamespace: namespace))
    }

    @Test("a lock file from another PID namespace is alive whatever its pid; from this one, checked by pid")
    func lock() throws {
        let gone = LockHolder(
            pid: Int32.max - 1, host: ProcessInfo.processInfo.hostName, user: "ci", startedAt: "", command: "", processStart: 1)
        #expect(!ProjectLock.isAlive(gone))
        var elsewhere = gone
        elsewhere.namespace = "boot-9/pid:[1]"
        #expect(ProjectLock.isAlive(elsewhere))
        elsewhere.namespace = nil
        #expect(ProjectLock.isAlive(elsewhere))
        // Written and read back with the namespace.
        let data = try JSONEncoder().encode(gone)
        #expect(try JSONDecoder().decode(LockHolder.self, from: data).namespace == ProcessIdentity.namespace)
    }
}
