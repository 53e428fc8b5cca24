namespace GeoDns.Answering;

/// <summary>
/// A reply rendered at load time, minus what each query brings: the header's ID and RD bit,
/// the question (copied from the query, so its case is echoed) and the OPT record.
/// <see cref="Tail"/> is everything after the question.
/// </summary>
public sealed class PreparedAnswer(ArraySegment<byte> tail, byte rcode, bool authoritative, ushort answers, ushort authorities, ushort additionals, int tailWithoutAdditional, bool additionalRequired)
{
    /// <summary>Marks names below a DNAME: their reply depends on the whole query name and is made per query.</summary>
    public static readonly PreparedAnswer Dynamic = new([], 0, true, 0, 0, 0, 0, false);

    /// <summary>A pool's A or AAAA answer, chosen per query for the client's location (this instance is the answer without one).</summary>
    public GeoAnswer? Geo { get; init; }

    /// <summary>The zone whose SOA this reply carries, whose current serial is written at <see cref="SerialAt"/> (an offset in the tail).</summary>
    public ZoneSerial? Serial { get; init; }

    public int SerialAt { get; init; }

    /// <summary>A segment, not an array of its own: a build keeps its replies' bytes in shared chunks.</summary>
    public ReadOnlySpan<byte> Tail => tail.AsSpan();
    public byte Rcode { get; } = rcode;
    public bool Authoritative { get; } = authoritative;
    public ushort Answers { get; } = answers;
    public ushort Authorities { get; } = authorities;
    public ushort Additionals { get; } = additionals;

    /// <summary>Length of the tail without the additional section, for replies that must shrink to fit.</summary>
    public int TailWithoutAdditional { get; } = tailWithoutAdditional;

    /// <summary>Referral glue (RFC 9471): when it does not fit, the reply is truncated instead of dropped.</summary>
    public bool AdditionalRequired { get; } = additionalRequired;

    /// <summary>Whether <paramref name="other"/> is the same reply: no geo choice, and the same header fields and bytes.</summary>
    public bool SameAs(PreparedAnswer other) => other.Geo is null &&
        Matches(other.Rcode, other.Authoritative, other.Answers, other.Authorities, other.Additionals, other.TailWithoutAdditional, other.AdditionalRequired, other.Tail, other.Serial);

    /// <summary>Whether this answer (without a geo choice) is the reply these fields and bytes describe.</summary>
    public bool Matches(byte rcode, bool authoritative, ushort answers, ushort authorities, ushort additionals, int tailWithoutAdditional, bool additionalRequired, ReadOnlySpan<byte> tail, ZoneSerial? serial) =>
        Geo is null && Serial == serial && Rcode == rcode && Authoritative == authoritative && Answers == answers && Authorities == authorities && Additionals == additionals &&
        TailWithoutAdditional == tailWithoutAdditional && AdditionalRequired == additionalRequired && Tail.SequenceEqual(tail);
}
