using GeoDns.Answering;

namespace GeoDns.Server;

/// <summary>An operation's result: the status, what was wrong (if anything), and the snapshot that was published after it (or the current one).</summary>
public sealed record OperationOutcome(OperationStatus Status, IReadOnlyList<string> Errors, Snapshot Snapshot)
{
    /// <summary>How many things the change touched, where it is a count (dynamic records deleted).</summary>
    public int Changed { get; init; }

    public bool Succeeded => Status is OperationStatus.Done or OperationStatus.Created;
}
