#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One part of a `multipart/form-data` body; `range` locates its content in the body.
public struct MultipartPart: Sendable, Equatable {
    public var name: String?
    public var filename: String?
    public var contentType: String?
    public var range: Range<Int>

    public init(name: String? = nil, filename: String? = nil, contentType: String? = nil, range: Range<Int>) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.range = range
    }
}

public enum MultipartError: Error, Equatable {
    case missingBoundary
    case malformed(String)
}

/// A parser of `multipart/form-data` bodies (RFC 7578) that locates parts without copying them,
/// so uploads of hundreds of megabytes stay cheap.
public enum MultipartParser {
    /// The `boundary` parameter of a `multipart/form-data` content type, if it is one.
    public static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let params = HeaderParameters.parse(contentType)
        guard params.value.lowercased() == "multipart/form-data",
            let boundary = params.parameters["boundary"], !boundary.isEmpty
        else { return nil }
        return boundary
    }

    /// Every part of the body, in order.
    public static func parse(_ body: UnsafeRawBufferPointer, boundary: String) throws -> [MultipartPart] {
        let delimiter = Array("--\(boundary)".utf8)
        let crlfDelimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter either opens the body or follows a preamble and CRLF.
        var cursor: Int
        if startsWith(body, at: 0, delimiter) {
            cursor = delimiter.count
        } else if let found = find(crlfDelimiter, in: body, from: 0) {
            cursor = found + crlfDelimiter.count
        } else {
            throw MultipartError.malformed("no opening boundary")
        }

        var parts: [MultipartPart] = []
        while true {
            if startsWith(body, at: cursor, Array("--".utf8)) { return parts }  // closing delimiter
            // Transport padding, then CRLF.
            while cursor < body.count, body[cursor] == UInt8(ascii: " ") || body[cursor] == UInt8(ascii: "\t") {
                cursor += 1
            }
            guard startsWith(body, at: cursor, crlf) else { throw MultipartError.malformed("bad boundary line") }
            cursor += 2

            guard let headerEnd = emptyHeaders(body, at: cursor) ?? find(crlf + crlf, in: body, from: cursor) else {
                throw MultipartError.malformed("unterminated part headers")
            }
            var part = MultipartPart(range: 0..<0)
            if headerEnd > cursor {
                let headerText = String(decoding: UnsafeRawBufferPointer(rebasing: body[cursor..<headerEnd]), as: UTF8.self)
                applyHeaders(headerText, to: &part)
            }
            let contentStart = headerEnd == cursor ? cursor + 2 : headerEnd + 4
            guard let contentEnd = find(crlfDelimiter, in: body, from: contentStart) else {
                throw MultipartError.malformed("unterminated part")
            }
            part.range = contentStart..<contentEnd
            parts.append(part)
            cursor = contentEnd + crlfDelimiter.count
        }
    }

    /// Text fields (parts without a file name) by name; the first of a repeated name wins.
    public static func textFields(_ body: UnsafeRawBufferPointer, parts: [MultipartPart]) -> [String: String] {
        var fields: [String: String] = [:]
        for part in parts where part.filename == nil {
            guard let name = part.name, fields[name] == nil else { continue }
            fields[name] = String(decoding: UnsafeRawBufferPointer(rebasing: body[part.range]), as: UTF8.self)
        }
        return fields
    }

    // MARK: - Helpers

    private static let crlf: [UInt8] = [0x0D, 0x0A]

    /// A part with no headers: its content starts right after the CRLF ending the boundary line.
    private static func emptyHeaders(_ body: UnsafeRawBufferPointer, at cursor: Int) -> Int? {
        startsWith(body, at: cursor, crlf) ? cursor : nil
    }

    private static func applyHeaders(_ text: String, to part: inout MultipartPart) {
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingSpaces()
            switch name {
            case "content-disposition":
                let params = HeaderParameters.parse(value)
                part.name = params.parameters["name"]
                part.filename = params.parameters["filename"]
            case "content-type":
                part.contentType = value
            default:
                break
            }
        }
    }

    private static func startsWith(_ body: UnsafeRawBufferPointer, at offset: Int, _ needle: [UInt8]) -> Bool {
        guard offset >= 0, offset + needle.count <= body.count else { return false }
        for (index, byte) in needle.enumerated() where body[offset + index] != byte { return false }
        return true
    }

    /// Offset of the first occurrence of `needle` at or after `from`.
    static func find(_ needle: [UInt8], in body: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = body.baseAddress, !needle.isEmpty, from >= 0, from + needle.count <= body.count else {
            return nil
        }
        return needle.withUnsafeBytes { needleBytes -> Int? in
            guard let needleBase = needleBytes.baseAddress else { return nil }
            let last = body.count - needle.count
            var offset = from
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return nil }
                let position = UnsafeRawPointer(hit) - base
                if memcmp(base + position, needleBase, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }
}

/// A header value with `; key=value` parameters, e.g. a Content-Type or Content-Disposition.
public struct HeaderParameters: Sendable {
    public var value: String
    public var parameters: [String: String]

    public static func parse(_ header: String) -> HeaderParameters {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for char in header {
            if escaped {
                current.append(char)
                escaped = false
            } else if quoted && char == "\\" {
                escaped = true
            } else if char == "\"" {
                quoted.toggle()
                current.append(char)
            } else if char == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(char)
            }
        }
        pieces.append(current)

        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingSpaces().lowercased()
            var value = String(piece[piece.index(after: equals)...]).trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            if parameters[key] == nil { parameters[key] = value }
        }
        return HeaderParameters(value: pieces[0].trimmingSpaces(), parameters: parameters)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
