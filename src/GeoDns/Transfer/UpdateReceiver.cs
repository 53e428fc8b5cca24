using System.Net;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.RateLimiting;
using GeoDns.Tsig;
using GeoDns.Updates;
using GeoDns.Zones;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transfer;

/// <summary>
/// Dynamic UPDATE (RFC 2136) for <see cref="ZoneExchange"/>, and the admin API's deletions of dynamic records: one at a
/// time, stored in the data directory before the reply, and served at once (<see cref="Republish"/>). A disk that refuses
/// the write fails the UPDATE (SERVFAIL) and changes nothing; <see cref="StorageProblem"/> says why until one is stored again.
/// </summary>
internal sealed class UpdateReceiver(ServedZones served, DynamicRecords dynamic, Responder responder, string dataDirectory, TimeProvider time, ILogger log, LogCap warnings)
{
    private readonly Lock _updating = new();
    private volatile string? _storageProblem;

    public string? StorageProblem => _storageProblem;

    public Action? Republish { get; set; }

    public byte[] Update(MessageReader read, IPAddress client, TsigCheck tsig, ExchangeSettings settings)
    {
        var origin = read.QuestionName;
        if (tsig.ValidKey is not { } key)
        {
            UpdateRefused(origin.ToString(), client.ToString(), "none", "unsigned (updates need a TSIG key)");
            return TransferWriter.Error(read, Rcode.Refused);
        }
        if (read.QuestionClass != ResourceRecord.ClassIN || served.Find(origin) is not { } zone) return TransferWriter.Error(read, Rcode.NotAuth);
        var policies = settings.Updates.Where(p => p.Key == key.Name).ToList();
        if (policies.Count == 0)
        {
            UpdateRefused(origin.ToString(), client.ToString(), key.Name.ToString(), "no update policy names this key");
            return TransferWriter.Error(read, Rcode.Refused);
        }
        UpdateOutcome outcome;
        lock (_updating)
        {
            // One UPDATE at a time, so each sees the last one's result (RFC 2136 §3.7: atomic per message).
            zone = served.Find(origin)!;
            // The pooled names as the answers have them now: an update must not delegate or alias one away.
            var pools = responder.Snapshot.Pools.Pools.Select(p => p.Name).ToList();
            outcome = UpdateProcessor.Apply(read, origin, zone.File.Records, dynamic.For(origin), key.Name, policies, settings.DynamicLimits, pools);
            if (outcome.Rcode == 0 && outcome.Dynamic is { } records && !Store(origin, records)) return TransferWriter.Error(read, Rcode.ServFail);
        }
        if (outcome.Rcode == 0) ZoneExchangeLog.LogUpdated(log, origin.ToString(), key.Name.ToString(), read.Authorities.Count, client.ToString());
        else UpdateRefused(origin.ToString(), client.ToString(), key.Name.ToString(), $"rcode {outcome.Rcode}: {outcome.Reason}");
        return TransferWriter.Error(read, outcome.Rcode);
    }

    /// <summary>
    /// Stores and serves an UPDATE's records (under <c>_updating</c>); false when the disk refused them (full, read-only):
    /// then nothing changed, on disk or in memory, and <see cref="StorageProblem"/> says why (logged when it starts).
    /// </summary>
    private bool Store(DnsName origin, IReadOnlyList<ResourceRecord> records)
    {
        try
        {
            dynamic.Replace(origin, records);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StoreFailed(origin, e);
        }
        Republish?.Invoke(); // served at once: the reply goes out after the new answers are in
        if (_storageProblem is not null)
        {
            _storageProblem = null;
            ZoneExchangeLog.LogStorageRecovered(log, origin.ToString());
        }
        return true;
    }

    private bool StoreFailed(DnsName origin, Exception e)
    {
        var problem = $"writing the data directory {dataDirectory} failed: {(e.InnerException ?? e).Message}";
        var first = _storageProblem is null;
        _storageProblem = $"dynamic update: {problem} (since {time.GetUtcNow():O}); UPDATEs are answered SERVFAIL, nothing else is affected";
        if (first) ZoneExchangeLog.LogStorageFailed(log, e, origin.ToString(), problem);
        return false;
    }

    private void UpdateRefused(string zone, string client, string key, string reason)
    {
        if (warnings.TryTake(out var held)) ZoneExchangeLog.LogUpdateRefused(log, held, zone, client, key, reason);
    }

    /// <summary>The admin API's deletion of dynamic records: as an UPDATE would, under the same lock.</summary>
    public int? Delete(DnsName origin, DnsName name, ushort? type)
    {
        lock (_updating)
        {
            var before = dynamic.For(origin);
            var after = before.Where(r => !(r.Owner == name && (type is null || r.Type == type))).ToList();
            if (after.Count == before.Count) return 0;
            return Store(origin, after) ? before.Count - after.Count : null;
        }
    }
}
