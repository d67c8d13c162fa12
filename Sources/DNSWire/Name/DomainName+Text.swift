// SPDX-License-Identifier: Apache-2.0
// Domain names in presentation format: `\.` and `\DDD` escapes both ways.

extension DomainName: CustomStringConvertible {
    /// Parses a name in presentation format.
    ///
    /// A name without a trailing dot is taken relative to `origin` (the root by default),
    /// so `"www.example.org"` and `"www.example.org."` are the same name. `\X` escapes a
    /// character and `\DDD` gives an octet in decimal. `"."` is the root.
    ///
    /// - Throws: ``TextFormatError`` `.badEscape`, `.badValue` (empty label), `.tooLong`.
    public init(_ text: String, origin: DomainName = .root) throws {
        var text = text
        self = try text.withUTF8 { try Self(presentationOctets: $0, origin: origin) }
    }

    /// Parses a name from presentation-format octets (see ``init(_:origin:)``).
    public init(presentation text: [UInt8], origin: DomainName = .root) throws {
        self = try text.withUnsafeBufferPointer { try Self(presentationOctets: $0, origin: origin) }
    }

    private init(presentationOctets text: UnsafeBufferPointer<UInt8>, origin: DomainName) throws {
        if text.count == 1, text[0] == UInt8(ascii: ".") {
            self = .root
            return
        }
        guard !text.isEmpty else { throw TextFormatError(.badValue, "empty name") }
        var wire: [UInt8] = []
        wire.reserveCapacity(text.count + origin.wire.count + 1)
        wire.append(0)
        var labelStart = 0
        var absolute = false
        var index = 0
        func closeLabel() throws {
            let length = wire.count - labelStart - 1
            guard length > 0 else { throw TextFormatError(.badValue, "empty label in name") }
            guard length <= DomainName.maxLabelLength else { throw TextFormatError(.tooLong, "label over 63 octets") }
            wire[labelStart] = UInt8(length)
        }
        while index < text.count {
            let char = text[index]
            if char == UInt8(ascii: ".") {
                try closeLabel()
                if index == text.count - 1 {
                    absolute = true
                } else {
                    labelStart = wire.count
                    wire.append(0)
                }
                index += 1
            } else if char == UInt8(ascii: "\\") {
                let (octet, used) = try Self.unescape(text, at: index)
                wire.append(octet)
                index += used
            } else {
                wire.append(char)
                index += 1
            }
        }
        if !absolute {
            try closeLabel()
            wire.append(contentsOf: origin.wire)  // ends with the root label
        } else {
            wire.append(0)
        }
        guard wire.count <= DomainName.maxWireLength else { throw TextFormatError(.tooLong, "name over 255 octets") }
        self.wire = wire
    }

    /// Decodes the escape starting at `text[index]` (a backslash): `\DDD` or `\X`.
    /// Returns the octet and how many input octets the escape used.
    static func unescape<Text: RandomAccessCollection<UInt8>>(_ text: Text, at index: Int) throws -> (UInt8, Int)
    where Text.Index == Int {
        guard index + 1 < text.count else { throw TextFormatError(.badEscape, "backslash at end") }
        let next = text[index + 1]
        guard next &- 0x30 < 10 else { return (next, 2) }
        guard index + 3 < text.count else {
            throw TextFormatError(.badEscape, "\\DDD needs three digits")
        }
        var value = 0
        for digit in text[index + 1...index + 3] {
            guard digit &- 0x30 < 10 else { throw TextFormatError(.badEscape, "\\DDD needs three digits") }
            value = value * 10 + Int(digit - 0x30)
        }
        guard value <= 255 else { throw TextFormatError(.badEscape, "\\\(value) is over 255") }
        return (UInt8(value), 4)
    }

    /// The absolute name in presentation format, ending with a dot (`.` for the root).
    public var description: String { presentation(trailingDot: true) }

    /// The name as the component's field values show it: no trailing dot, the root as `.`.
    public var fieldValue: String { presentation(trailingDot: false) }

    func presentation(trailingDot: Bool) -> String {
        if isRoot { return "." }
        return String(unsafeUninitializedCapacity: maxPresentationLength) { write(into: $0, at: 0, trailingDot: trailingDot) }
    }

    /// The most octets the presentation form can take: four per octet (`\DDD`).
    var maxPresentationLength: Int { wire.count * 4 }

    /// Writes the presentation form into `text` from `start` (room for ``maxPresentationLength``
    /// octets); returns the index after it.
    func write(into text: UnsafeMutableBufferPointer<UInt8>, at start: Int, trailingDot: Bool) -> Int {
        var count = start
        if isRoot {
            text[count] = UInt8(ascii: ".")
            return count + 1
        }
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            for octet in wire[index + 1...index + length] {
                switch Self.escape(octet) {
                case .backslash:
                    text[count] = UInt8(ascii: "\\")
                    text[count + 1] = octet
                    count += 2
                case .plain:
                    text[count] = octet
                    count += 1
                case .decimal:
                    text[count] = UInt8(ascii: "\\")
                    text[count + 1] = 0x30 + octet / 100
                    text[count + 2] = 0x30 + octet / 10 % 10
                    text[count + 3] = 0x30 + octet % 10
                    count += 4
                }
            }
            index += length + 1
            if wire[index] != 0 || trailingDot {
                text[count] = UInt8(ascii: ".")
                count += 1
            }
        }
        return count
    }

    /// How BIND prints a label octet: as it is, backslashed (the specials), or as `\DDD`
    /// (outside 0x21–0x7E).
    enum Escape { case plain, backslash, decimal }

    static func escape(_ octet: UInt8) -> Escape {
        switch octet {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            .backslash
        case 0x21...0x7E: .plain
        default: .decimal
        }
    }

    /// Appends a label octet as BIND prints it (``escape(_:)``).
    static func appendEscaped(_ octet: UInt8, to text: inout [UInt8]) {
        switch escape(octet) {
        case .backslash:
            text.append(UInt8(ascii: "\\"))
            text.append(octet)
        case .plain:
            text.append(octet)
        case .decimal:
            appendDecimalEscape(octet, to: &text)
        }
    }

    static func appendDecimalEscape(_ octet: UInt8, to text: inout [UInt8]) {
        text.append(UInt8(ascii: "\\"))
        text.append(0x30 + octet / 100)
        text.append(0x30 + octet / 10 % 10)
        text.append(0x30 + octet % 10)
    }
}
