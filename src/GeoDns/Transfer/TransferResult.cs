using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>
/// What a transfer in brought: the zone's records (the current ones when up to date) and, after an IXFR, its steps;
/// or why not. <see cref="Rejected"/> marks a transfer that arrived but broke our rules (a cap, a record outside the
/// zone, a CNAME beside data): the primary's content, not the network, is at fault.
/// </summary>
public sealed record TransferResult(IReadOnlyList<ResourceRecord>? Records, IReadOnlyList<ZoneDelta>? Steps, string Error, bool Rejected = false)
{
    public static TransferResult Failed(string error) => new(null, null, error);

    public static TransferResult Refused(string error) => new(null, null, error, Rejected: true);
}
