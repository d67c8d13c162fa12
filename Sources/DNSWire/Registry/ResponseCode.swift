// SPDX-License-Identifier: Apache-2.0
// Response codes, including the extended ones carried partly in OPT.

/// A response code (RCODE), up to 12 bits: 4 in the header, 8 more in the OPT record (RFC 6891 §6.1.3).
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let noError = ResponseCode(rawValue: 0)
    public static let formErr = ResponseCode(rawValue: 1)
    public static let servFail = ResponseCode(rawValue: 2)
    public static let nxDomain = ResponseCode(rawValue: 3)
    public static let notImp = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)
    public static let yxDomain = ResponseCode(rawValue: 6)
    public static let yxRRSet = ResponseCode(rawValue: 7)
    public static let nxRRSet = ResponseCode(rawValue: 8)
    public static let notAuth = ResponseCode(rawValue: 9)
    public static let notZone = ResponseCode(rawValue: 10)
    public static let dsoTypeNI = ResponseCode(rawValue: 11)
    public static let badVers = ResponseCode(rawValue: 16)
    public static let badKey = ResponseCode(rawValue: 17)
    public static let badTime = ResponseCode(rawValue: 18)
    public static let badMode = ResponseCode(rawValue: 19)
    public static let badName = ResponseCode(rawValue: 20)
    public static let badAlg = ResponseCode(rawValue: 21)
    public static let badTrunc = ResponseCode(rawValue: 22)
    public static let badCookie = ResponseCode(rawValue: 23)

    private static let mnemonics: [UInt16: String] = [
        0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN",
        7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI", 16: "BADVERS", 17: "BADKEY",
        18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG", 22: "BADTRUNC", 23: "BADCOOKIE",
    ]
    private static let texts: [UInt16: String] = [
        0: "No error", 1: "Format error", 2: "Server failure", 3: "Non-existent domain", 4: "Not implemented",
        5: "Query refused", 6: "Name exists when it should not", 7: "RR set exists when it should not",
        8: "RR set that should exist does not", 9: "Server not authoritative for zone", 10: "Name not contained in zone",
        11: "DSO-TYPE not implemented", 16: "Bad OPT version", 17: "Key not recognized", 18: "Signature out of time window",
        19: "Bad TKEY mode", 20: "Duplicate key name", 21: "Algorithm not supported", 22: "Bad truncation",
        23: "Bad/missing server cookie",
    ]

    /// The mnemonic dig prints (`NOERROR`, `NXDOMAIN`, …) or `RCODE` and the number.
    public var description: String { Self.mnemonics[rawValue] ?? "RCODE\(rawValue)" }
    /// The IANA registry's description ("Non-existent domain").
    public var text: String { Self.texts[rawValue] ?? "Unassigned response code \(rawValue)" }

    /// Parses a mnemonic as ``description`` prints it, in any case.
    public init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        guard let code = Self.mnemonics.first(where: { $0.value == upper })?.key else { return nil }
        self.init(rawValue: code)
    }
}
