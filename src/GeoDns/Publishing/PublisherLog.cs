using GeoDns.Pools;
using GeoDns.Protocol;
using Microsoft.Extensions.Logging;

namespace GeoDns.Publishing;

/// <summary>What the publisher tells the operator.</summary>
internal static partial class PublisherLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: no edge is healthy; answering by allDown={Policy} with {Count} record(s)")]
    public static partial void AllDown(ILogger log, DnsName pool, AllDownPolicy policy, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: healthy again, answering {Records}")]
    public static partial void Healthy(ILogger log, DnsName pool, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: emergency answer on since {Since:O} ({Reason}): answering {Count} emergency record(s) instead of its edges")]
    public static partial void EmergencyOn(ILogger log, DnsName pool, DateTimeOffset since, string reason, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: the emergency switch is on but the pool has no emergency or fallback records: answering its edges")]
    public static partial void EmergencyEmpty(ILogger log, DnsName pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: emergency answer off, answering its edges again")]
    public static partial void EmergencyOff(ILogger log, DnsName pool);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pools not (re)loaded, last good pools kept: {Error}")]
    public static partial void PoolsRejected(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not answered: {Note}")]
    public static partial void Skipped(ILogger log, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Geo database {Path}: {Type}, built {Built:yyyy-MM-dd}")]
    public static partial void GeoOn(ILogger log, string path, string type, DateTimeOffset built);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Geo off: pool answers rotate through every healthy edge")]
    public static partial void GeoOff(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: a dead edge may be answered for up to {Exposure} s (interval + timeout + TTL {Ttl} s), over the {Budget} s budget; lower the TTL or the probe interval")]
    private static partial void OverBudget(ILogger log, DnsName pool, double exposure, uint ttl, double budget);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {Edges} edge(s), worst-case exposure to a dead edge {Exposure} s ({Degraded} s while degraded: TTL {DegradedTtl} s)")]
    private static partial void WithinBudget(ILogger log, DnsName pool, int edges, double exposure, double degraded, uint degradedTtl);

    public static void Exposure(ILogger log, Pool pool)
    {
        if (pool.Exposure > Pool.ExposureBudget) OverBudget(log, pool.Name, pool.Exposure.TotalSeconds, pool.Ttl, Pool.ExposureBudget.TotalSeconds);
        else WithinBudget(log, pool.Name, pool.Edges.Count, pool.Exposure.TotalSeconds, pool.DegradedExposure.TotalSeconds, pool.DegradedTtl);
    }
}
