namespace GeoDns.Answering;

/// <summary>
/// What the table knows of one existing name: the replies for the name itself, and the replies
/// for names below it that do not exist, when this name is their closest encloser
/// (a referral, a wildcard's synthesized answers, NXDOMAIN, or a DNAME rewrite).
/// </summary>
public sealed class NameEntry(AnswerSet exact, AnswerSet below)
{
    public AnswerSet Exact { get; } = exact;
    public AnswerSet Below { get; } = below;
}
