// SPDX-License-Identifier: Apache-2.0
// An RRSIG's validity period (RFC 4034 §3.1.5) in serial number arithmetic (RFC 1982).

extension RRSIGVerifier {
    /// Where a time lies relative to an RRSIG's validity period.
    public enum Validity: Hashable, Sendable {
        /// Within the period (widened by the skew).
        case valid
        /// After the Signature Expiration (plus the skew).
        case expired
        /// Before the Signature Inception (minus the skew).
        case notYetValid
    }

    /// Whether `now` lies in the validity period of `rrsig`, widened by `skew` at both ends
    /// (RFC 4035 §5.3.1).
    ///
    /// The times are 32-bit seconds since 1970 that wrap around; they compare by RFC 1982 serial
    /// number arithmetic (RFC 4034 §3.1.5), so a period that spans a wrap (in 2106) works, and a
    /// time exactly 2^31 seconds from a bound, whose order is undefined, counts as outside.
    ///
    /// - Parameters:
    ///   - rrsig: the RRSIG record data.
    ///   - now: the current time, seconds since 1970 modulo 2^32.
    ///   - skew: the clock difference to tolerate, in seconds (see ``defaultSkew(for:)``); at most
    ///     2^31 − 1 is meaningful.
    public static func validityWindow(of rrsig: RecordData.RRSIG, now: UInt32, skew: UInt32 = 0) -> Validity {
        let skew = min(skew, 0x7FFF_FFFF)
        // How far `now` is past the expiration, and before the inception, as signed distances.
        let late = now &- rrsig.expiration
        let early = rrsig.inception &- now
        if late == 0x8000_0000 || (Int32(bitPattern: late) > 0 && late > skew) { return .expired }
        if early == 0x8000_0000 || (Int32(bitPattern: early) > 0 && early > skew) { return .notYetValid }
        return .valid
    }

    /// The default clock skew for `rrsig`: a tenth of its lifetime (expiration minus inception,
    /// in serial arithmetic), at least one hour and at most one day.
    ///
    /// - Parameter rrsig: the RRSIG record data.
    public static func defaultSkew(for rrsig: RecordData.RRSIG) -> UInt32 {
        let lifetime = rrsig.expiration &- rrsig.inception
        let tenth = Int32(bitPattern: lifetime) > 0 ? lifetime / 10 : 0
        return min(max(tenth, 3600), 86400)
    }
}
