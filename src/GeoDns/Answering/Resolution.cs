namespace GeoDns.Answering;

/// <summary>What the resolver decided for one question: the sections of the reply, before rendering.</summary>
public sealed class Resolution
{
    public byte Rcode { get; set; }
    public bool Authoritative { get; set; } = true;
    public List<RRset> Answer { get; } = [];
    public List<RRset> Authority { get; } = [];
    public List<RRset> Additional { get; } = [];

    /// <summary>True for a referral: its glue may not be dropped to make the reply fit (RFC 9471).</summary>
    public bool AdditionalRequired { get; set; }

    /// <summary>The pools whose records this resolution read (null: none): its rendered reply changes when they do.</summary>
    public HashSet<PoolSlot>? Pools { get; private set; }

    public void Read(PoolSlot pool) => (Pools ??= []).Add(pool);

    /// <summary>Empty again, for the next question: a table build resolves every name and type in one of these.</summary>
    internal void Clear()
    {
        (Rcode, Authoritative, AdditionalRequired, Pools) = (0, true, false, null);
        Answer.Clear();
        Authority.Clear();
        Additional.Clear();
    }
}
