import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What makes a pid mean something: the kernel's boot and the PID namespace it belongs to.
///
/// Two containers that share a host name (CI runners with host networking) see different pids: a
/// holder's pid that is not visible here may be a live process of another namespace. A holder is
/// taken for dead only when it recorded the same namespace as ours (issue 26).
public enum ProcessIdentity {
    /// `BOOT-ID/pid:[INODE]` on Linux (`/proc/sys/kernel/random/boot_id`, `/proc/self/ns/pid`); nil
    /// where either cannot be read, and then no pid check is trusted.
    public static let namespace: String? = {
        guard
            let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            !boot.isEmpty,
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid"), !link.isEmpty
        else { return nil }
        return "\(boot)/\(link)".filter { !$0.isWhitespace }
    }()

    /// Whether a holder recorded as `host` and `namespace` can be checked by pid from here: the same
    /// host name and the same, known, PID namespace of the same boot.
    public static func canCheck(host: String, namespace: String?, hereHost: String, hereNamespace: String?) -> Bool {
        guard host == hereHost, let namespace, let hereNamespace, !namespace.isEmpty else { return false }
        return namespace == hereNamespace
    }
}
