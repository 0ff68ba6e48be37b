import Foundation

/// A record of a CSV file with the line it starts on, so errors can name it.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]
}

/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; CRLF and LF both end
/// a record; a leading byte-order mark is ignored.
public enum CSVReader {
    public static func records(_ text: String) throws -> [CSVRecord] {
        // PostgreSQL cannot store U+0000, and no spreadsheet means it: the file is refused as a whole.
        if text.unicodeScalars.contains("\u{0}") {
            throw DomainError.invalid("The file contains the NUL character (U+0000); it is not a text file Pollen can read.", field: "file")
        }
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldStarted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        var scalarsSeen = 0

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldStarted = false
        }

        while let scalar = pending ?? iterator.next() {
            pending = nil
            scalarsSeen += 1
            if scalarsSeen == 1 && scalar == "\u{FEFF}" { continue }
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where !fieldStarted:
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if inQuotes {
            throw DomainError.invalid("Line \(recordLine): a quoted field is not closed.", field: "file")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
