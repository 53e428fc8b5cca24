namespace GeoDns.Sidecar.Signals;

/// <summary>
/// One edge's signals at the daemon's last read: why they could not be read (<see cref="Error"/>), or the latest
/// sample and point; the history either way, so a page still shows what came before an edge went quiet.
/// </summary>
public sealed record EdgeSignals(string? Error, EdgeSignalsSample? Sample, SignalsPoint? Latest, IReadOnlyList<SignalsPoint> History, DateTimeOffset? ChangedAt)
{
    public bool Readable => Error is null && Sample is not null;
}
