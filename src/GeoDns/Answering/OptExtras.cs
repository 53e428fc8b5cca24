namespace GeoDns.Answering;

/// <summary>What a reply's OPT carries beyond the fixed part and ECS: the COOKIE data (empty: none) and the edns-tcp-keepalive timeout (0: none).</summary>
internal readonly ref struct OptExtras(ReadOnlySpan<byte> cookie, ushort keepalive)
{
    public ReadOnlySpan<byte> Cookie { get; } = cookie;

    /// <summary>RFC 7828 TIMEOUT in units of 100 ms.</summary>
    public ushort Keepalive { get; } = keepalive;
}
