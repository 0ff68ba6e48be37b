import Foundation
import PollenAnalytics

/// The files of `pollen analyze`: the graph engine does no I/O, so the command reads its input and writes its result.
enum AnalyzeFiles {
    /// The whole file, or an error naming it and the system's reason.
    static func read(_ path: String) throws(AnalysisError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw AnalysisError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw AnalysisError("cannot read \(path): \(String(cString: strerror(errno)))") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw AnalysisError("cannot read \(path): it is a folder") }
        // Sized from fstat; doubled only if the file grows while it is read.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var filled = 0
        var failure: Int32 = 0
        while true {
            if filled == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let got = bytes.withUnsafeMutableBytes { buffer in Foundation.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
            if got < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        if failure != 0 { throw AnalysisError("cannot read \(path): \(String(cString: strerror(failure)))") }
        return bytes
    }

    /// Writes `bytes` to `path` through a temporary file beside it, so a failed write leaves no partial file.
    static func write(_ bytes: [UInt8], toFile path: String) throws(AnalysisError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw AnalysisError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw AnalysisError("cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }
}
