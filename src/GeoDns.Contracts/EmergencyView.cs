namespace GeoDns.Contracts;

/// <summary>
/// A pool's emergency switch (<c>GET</c>, <c>PUT</c> and <c>DELETE /v1/pools/{pool}/emergency</c>): whether it is on, since
/// when and why, and the records the pool answers while it is (zone-file lines; empty when the pool has none, and then
/// it cannot be turned on).
/// </summary>
public sealed record EmergencyView(string Pool, bool On, DateTimeOffset? Since, string? Reason, IReadOnlyList<string> Records)
{
    /// <summary>What a nameserver's <c>/healthz</c> warning says of a switch that is on, after the pool's name: the sidecar groups by it.</summary>
    public const string WarningMark = ": emergency answer on since ";

    /// <summary>The <c>/healthz</c> warning of a switch that is on: <c>pool app.example.com: emergency answer on since …</c>.</summary>
    public string Warning() =>
        $"pool {Pool}{WarningMark}{Since?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(Reason is { Length: > 0 } why ? $" ({why})" : "")}: answering {string.Join("; ", Records)} instead of its edges";

    /// <summary>The pool a <c>/healthz</c> warning is the emergency switch of, or null when it is another warning.</summary>
    public static string? PoolOfWarning(string warning)
    {
        var mark = warning.IndexOf(WarningMark, StringComparison.Ordinal);
        return warning.StartsWith("pool ", StringComparison.Ordinal) && mark > 5 ? warning[5..mark] : null;
    }
}
