// SPDX-License-Identifier: Apache-2.0
// The canonical form of RDATA for DNSSEC (RFC 4034 §6.2 as corrected by RFC 6840 §5.1).

extension RecordData {
    /// The RDATA with the domain names it embeds lower-cased, for the types whose names
    /// RFC 4034 §6.2 (item 3) lower-cases: NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX,
    /// RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX, SRV, DNAME, A6 and RRSIG. NSEC's next name keeps
    /// its case (RFC 6840 §5.1), and so do the names of every type defined later (SVCB, …) and of
    /// unknown types (RFC 3597 §7). HINFO, on the list, holds no names.
    ///
    /// Names in RDATA are always written uncompressed by ``serialize()``, so the canonical wire
    /// form is `canonical.serialize()`.
    public var canonical: RecordData {
        let lowered: (any RecordDataType)?
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            lowered = self.as(SingleName.self).map { data in
                var data = data
                data.name = data.name.canonical
                return data
            }
        case .soa:
            lowered = self.as(SOA.self).map { data in
                var data = data
                data.mname = data.mname.canonical
                data.rname = data.rname.canonical
                return data
            }
        case .minfo:
            lowered = self.as(MINFO.self).map { data in
                var data = data
                data.responsibleMailbox = data.responsibleMailbox.canonical
                data.errorMailbox = data.errorMailbox.canonical
                return data
            }
        case .mx, .rt, .kx:
            lowered = self.as(MX.self).map { data in
                var data = data
                data.exchange = data.exchange.canonical
                return data
            }
        case .rp:
            lowered = self.as(RP.self).map { data in
                var data = data
                data.mailbox = data.mailbox.canonical
                data.textDomain = data.textDomain.canonical
                return data
            }
        case .afsdb:
            lowered = self.as(AFSDB.self).map { data in
                var data = data
                data.hostname = data.hostname.canonical
                return data
            }
        case .sig, .rrsig:
            lowered = self.as(RRSIG.self).map { data in
                var data = data
                data.signerName = data.signerName.canonical
                return data
            }
        case .px:
            lowered = self.as(PX.self).map { data in
                var data = data
                data.map822 = data.map822.canonical
                data.mapX400 = data.mapX400.canonical
                return data
            }
        case .nxt:
            lowered = self.as(NXT.self).map { data in
                var data = data
                data.nextDomainName = data.nextDomainName.canonical
                return data
            }
        case .naptr:
            lowered = self.as(NAPTR.self).map { data in
                var data = data
                data.replacement = data.replacement.canonical
                return data
            }
        case .srv:
            lowered = self.as(SRV.self).map { data in
                var data = data
                data.target = data.target.canonical
                return data
            }
        case .a6:
            lowered = self.as(A6.self).map { data in
                var data = data
                data.prefixName = data.prefixName.canonical
                return data
            }
        default:
            lowered = nil
        }
        guard let lowered, let data = try? RecordData(type: type, lowered) else { return self }
        return data
    }
}
