using System.Collections.Concurrent;

namespace GeoDns.Diagnostics;

/// <summary>Reloads by kind (zones, config, geo) and result (ok, error); every known pair is reported from the start.</summary>
public sealed class ReloadMetrics
{
    public static readonly string[] Kinds = ["zones", "config", "geo"];
    public static readonly string[] Results = ["ok", "error"];

    private readonly ConcurrentDictionary<(string Kind, string Result), long> _counts = new();

    public void Count(string kind, bool ok) => _counts.AddOrUpdate((kind, ok ? "ok" : "error"), 1, (_, n) => n + 1);

    public long Reloads(string kind, string result) => _counts.GetValueOrDefault((kind, result));
}
