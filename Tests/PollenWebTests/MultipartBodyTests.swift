import Foundation
@testable import PollenWeb
import Testing

/// Reading multipart form bodies, including the malformed ones the API fuzzer (scripts/fuzz-api) sends.
@Suite struct MultipartBodyTests {
    static let boundary = "----pollen-boundary"

    static func form(_ text: String) throws -> FormData {
        try FormData.parse(multipart: Array(text.utf8), boundary: boundary)
    }

    @Test func fieldsAndFiles() throws {
        let form = try Self.form(
            "preamble is ignored\r\n"
                + "--\(Self.boundary)\r\ncontent-disposition: form-data; name=\"title\"\r\n\r\nSafety stock\r\n"
                + "--\(Self.boundary)  \r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n"
                + "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n\r\n"
                + "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"café.txt\"\r\n"
                + "Content-Type:  text/plain \r\n\r\nline one\r\nline two\r\n"
                + "--\(Self.boundary)--\r\nepilogue is ignored")
        #expect(form["title"] == "Safety stock")
        #expect(form.all("tags") == ["a", ""])
        let file = try #require(form.file("file"))
        #expect(file.filename == "café.txt")
        #expect(file.contentType == "text/plain")
        #expect(file.data == Array("line one\r\nline two".utf8))
    }

    @Test func aPartWithoutHeadersIsSkipped() throws {
        let form = try Self.form("--\(Self.boundary)\r\n\r\nno name\r\n--\(Self.boundary)--")
        #expect(form.values.isEmpty)
    }

    /// MultipartKit 4.7.1 trapped on the first two, taking the server down with the request.
    @Test(arguments: [
        "--\(boundary)\r\n\u{00E9}: x\r\n\r\nbody\r\n--\(boundary)--\r\n",  // a non-ASCII header name
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut short",  // no closing delimiter
        "--\(boundary)\r\nno colon here\r\n\r\nbody\r\n--\(boundary)--\r\n",
        "--\(boundary)\r\n folded: header\r\n\r\nbody\r\n--\(boundary)--\r\n",
        "--\(boundary)junk\r\n\r\nbody\r\n--\(boundary)--\r\n",
        "no delimiter at all",
        "",
    ])
    func malformedBodiesAreRefused(_ body: String) {
        #expect(throws: (any Error).self) { try Self.form(body) }
    }

    @Test func anEmptyOrOverlongBoundaryIsRefused() {
        for boundary in ["", String(repeating: "b", count: 71)] {
            #expect(throws: (any Error).self) {
                try FormData.parse(multipart: Array("--\(boundary)\r\n\r\nx\r\n--\(boundary)--".utf8), boundary: boundary)
            }
        }
    }
}
