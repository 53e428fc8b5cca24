namespace GeoDns.Answering;

/// <summary>
/// What the table knows of one existing name: the replies for the name itself, and the replies
/// for names below it that do not exist, when this name is their closest encloser
/// (a referral, a wildcard's synthesized answers, NXDOMAIN, or a DNAME rewrite).
/// Entries whose replies include a pool's records are re-rendered when the pool changes: each set is
/// swapped whole, so a query sees the old set or the new one, never a mix.
/// </summary>
public sealed class NameEntry(AnswerSet exact, AnswerSet below)
{
    private volatile AnswerSet _exact = exact, _below = below;

    public AnswerSet Exact => _exact;
    public AnswerSet Below => _below;

    internal void Replace(bool below, AnswerSet set)
    {
        if (below) _below = set;
        else _exact = set;
    }
}
