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
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname: lowered = lowering(SingleName.self, \.name)
        case .soa: lowered = lowering(SOA.self, \.mname, \.rname)
        case .minfo: lowered = lowering(MINFO.self, \.responsibleMailbox, \.errorMailbox)
        case .mx, .rt, .kx: lowered = lowering(MX.self, \.exchange)
        case .rp: lowered = lowering(RP.self, \.mailbox, \.textDomain)
        case .afsdb: lowered = lowering(AFSDB.self, \.hostname)
        case .sig, .rrsig: lowered = lowering(RRSIG.self, \.signerName)
        case .px: lowered = lowering(PX.self, \.map822, \.mapX400)
        case .nxt: lowered = lowering(NXT.self, \.nextDomainName)
        case .naptr: lowered = lowering(NAPTR.self, \.replacement)
        case .srv: lowered = lowering(SRV.self, \.target)
        case .a6: lowered = lowering(A6.self, \.prefixName)
        default: lowered = nil
        }
        guard let lowered, let data = try? RecordData(type: type, lowered) else { return self }
        return data
    }

    /// This RDATA as `T` with the names at `names` lower-cased; nil when it is not a `T`.
    private func lowering<T: RecordDataType>(_ type: T.Type, _ names: WritableKeyPath<T, DomainName>...) -> T? {
        self.as(T.self).map { data in
            var data = data
            for name in names { data[keyPath: name] = data[keyPath: name].canonical }
            return data
        }
    }
}
