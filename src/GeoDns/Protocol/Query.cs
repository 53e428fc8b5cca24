namespace GeoDns.Protocol;

/// <summary>The parts of a query the answer depends on, read in place from the packet.</summary>
public struct Query
{
    public const int HeaderLength = 12;

    public ushort Id;
    /// <summary>Opcode (bits 3-6) and RD (bit 0) of the query's third header byte, echoed in the reply.</summary>
    public byte Flags;
    public bool CheckingDisabled;
    public ushort Type;
    public ushort Class;
    /// <summary>Wire length of the question name; the question ends at 12 + NameLength + 4.</summary>
    public int NameLength;
    public bool HasOpt;
    /// <summary>A TSIG record (RFC 8945) is in the additional section: the message goes to the exchange, not the table.</summary>
    public bool HasTsig;
    public ushort UdpPayload;
    public byte EdnsVersion;
    public bool DnssecOk;
    /// <summary>EDNS Client Subnet (RFC 7871): family 1 (IPv4) or 2 (IPv6), 0 when absent.</summary>
    public ushort EcsFamily;
    public byte EcsSourcePrefix;
    /// <summary>The ECS address bytes, left-aligned, zero-padded: the first 4 (IPv4) or 16 (IPv6) bytes matter.</summary>
    public EcsAddress EcsAddress;

    /// <summary>DNS COOKIE option (RFC 7873): where its data starts in the packet (0 when absent) and how long it is.</summary>
    public int CookieOffset;
    public int CookieLength;

    /// <summary>edns-tcp-keepalive (RFC 7828): 0 absent, 1 present and empty (as a client must send it), 2 present with data.</summary>
    public byte Keepalive;

    public readonly bool HasEcs => EcsFamily != 0;
    public readonly bool HasCookie => CookieOffset != 0;

    public readonly int QuestionEnd => HeaderLength + NameLength + 4;
    public readonly byte Opcode => (byte)((Flags >> 3) & 0xF);
}
