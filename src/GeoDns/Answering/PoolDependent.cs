namespace GeoDns.Answering;

/// <summary>A table entry whose replies read a pool's records (the pool's own name, a CNAME to it, an MX naming it…) and how to render them again.</summary>
internal sealed record PoolDependent(NameEntry Entry, bool Below, Func<AnswerSet> Render);
