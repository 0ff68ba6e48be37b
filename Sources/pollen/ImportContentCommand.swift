import ArgumentParser
import Foundation
import PollenCore
import PollenStorage

extension Import {
    struct ImportContent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "content",
            abstract: "Front-load a community with a folder of Markdown files and the resource files beside them.",
            discussion: """
                Each .md file starts with front matter between two lines of three hyphens:
                  type: article | wiki | thread | resource
                  title, tags, author (a member's handle), date (2025-03-01 or 2025-03-01T09:30:00Z),
                  file (a resource's file beside it) or link, announcement: true, draft: true
                Importing the same folder again updates the items its files made. Hidden files are left out.
                Exits with status 1 when a file could not be imported (the others are imported).
                """)

        @OptionGroup var storage: StorageOptions
        @Argument(help: "The folder to import.") var folder: String
        @Option(help: "The community's address, as in /c/<community>.") var community: String
        @Option(name: .customLong("as"), help: "Import as this member (a manager of the community); by default as the operator.")
        var handle: String?

        func run() async throws {
            let files = try Self.read(folder: folder)
            var failed = 0
            try await reportingErrors {
                try await storage.withPollen { pollen, _ in
                    let actor: Actor =
                        if let handle { .member(try await pollen.profile(handle: handle, viewer: .system)) } else { .system }
                    let progress = ProgressLine(terminal: isatty(STDERR_FILENO) == 1)
                    let report = try await pollen.importContent(files, into: community, by: actor) { done, total in
                        progress.show(done, of: total)
                    }
                    for line in report.imported {
                        print("\(line.outcome.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(line.path) (\(line.kind.noun), revision \(line.revision))")
                    }
                    for failure in report.failures { print("failed    \(failure.path): \(failure.reason)") }
                    for path in report.skipped { print("skipped   \(path) (not Markdown, and no resource names it)") }
                    print("Content: \(report.summary).")
                    failed = report.failed
                }
            }
            if failed > 0 { throw ExitCode(1) }
        }

        /// Every file under `folder` but hidden ones (and those in hidden folders), with paths relative to it.
        static func read(folder: String) throws -> [ContentFile] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
                let paths = FileManager.default.subpaths(atPath: folder)
            else { throw ValidationError("\(folder) is not a folder.") }
            let root = URL(fileURLWithPath: folder)
            var files: [ContentFile] = []
            for path in paths.sorted() where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let url = root.appendingPathComponent(path)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                    continue
                }
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw ValidationError("Cannot read \(url.path).")
                }
                files.append(ContentFile(path: path, data: [UInt8](data)))
            }
            return files
        }
    }
}

/// Import progress on standard error: a bar redrawn in place on a terminal; otherwise (a log, a pipe) one
/// line per tenth, so a log is not flooded with redraws.
struct ProgressLine: Sendable {
    let terminal: Bool
    /// The bar's width in characters.
    static let width = 20

    func show(_ done: Int, of total: Int) {
        guard total > 0 else { return }
        let label = "\(done)/\(total) files"
        if terminal {
            let filled = done * Self.width / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(label)".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if done == total || done * 10 / total != (done - 1) * 10 / total {
            FileHandle.standardError.write(Data("\(done * 100 / total)% (\(label))\n".utf8))
        }
    }
}
