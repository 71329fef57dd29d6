import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Opening a file that must be a regular file, without ever blocking on a FIFO or a device.
///
/// `open(2)` of a FIFO for reading blocks until a writer appears, so a FIFO named like a manifest,
/// a source or a thumbnail would hang validate forever. The file is opened non-blocking, checked
/// with `fstat` (the object actually opened, not the name), and refused unless it is regular.
public enum RegularFile {
    /// Why a path cannot be read as a regular file.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Opens `path` for reading; the handle closes itself when released.
    public static func open(_ path: String) -> Result<FileHandle, Refusal> {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(Refusal(description: "cannot be opened (\(String(cString: strerror(errno))))"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            return .failure(Refusal(description: "cannot be examined (\(String(cString: strerror(errno))))"))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return .failure(Refusal(description: "is \(kind(info.st_mode)), not a regular file"))
        }
        // Regular files never block; reads are plain from here on.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .success(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
    }

    /// What kind of object `mode` describes, for messages ("a FIFO").
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The kind of object at `path` (symlinks followed), or nil when it is a regular file or missing.
    public static func irregularKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else { return nil }
        return kind(info.st_mode)
    }
}
