using System.Net;
using GeoDns.Protocol;
using GeoDns.Tsig;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>The exchange's configuration, validated and immutable; a reload builds a new one.</summary>
public sealed record ExchangeSettings(TsigKeyRing Keys, IReadOnlyDictionary<DnsName, ZoneTransferRule> Transfers, IReadOnlyList<UpdatePolicy> Updates, TimeSpan NotifyInterval, int NotifyAttempts)
{
    /// <summary>Zones we pull from primaries, by origin.</summary>
    public IReadOnlyDictionary<DnsName, SecondaryZoneRule> Secondaries { get; init; } = new Dictionary<DnsName, SecondaryZoneRule>();

    public static readonly ExchangeSettings Empty = new(TsigKeyRing.Empty, new Dictionary<DnsName, ZoneTransferRule>(), [], TimeSpan.FromSeconds(1), 5);

    /// <summary>How much dynamic data a zone may hold.</summary>
    public UpdateLimits DynamicLimits { get; init; } = UpdateLimits.Default;

    /// <summary>Reads the key files and checks every entry; errors name the file and line or the config key.</summary>
    /// <param name="servedZones">The zones served from files: an update policy without a zone is an error when there are several.</param>
    public static ExchangeSettings Build(ExchangeOptions options, List<string> errors, List<string>? warnings = null, IReadOnlyCollection<DnsName>? servedZones = null)
    {
        var keys = new List<TsigKey>();
        foreach (var file in options.KeyFiles) keys.AddRange(TsigKeyFile.Load(file, errors, warnings));
        var ring = new TsigKeyRing(keys);
        var transfers = new Dictionary<DnsName, ZoneTransferRule>();
        foreach (var t in options.Transfers)
        {
            if (!DnsName.TryParse(t.Zone, out var zone, out var problem)) { errors.Add($"exchange.transfers: zone '{t.Zone}': {problem}"); continue; }
            var names = new List<DnsName>();
            foreach (var k in t.Keys)
                if (DnsName.TryParse(k, out var name, out _) && ring.Find(name) is not null) names.Add(name);
                else errors.Add($"exchange.transfers: zone {t.Zone}: key '{k}' is in no key file");
            var notify = new List<IPEndPoint>();
            foreach (var n in t.Notify)
                if (IPEndPoint.TryParse(n, out var endpoint) && n.Contains(':') && endpoint.Port != 0) notify.Add(endpoint);
                else errors.Add($"exchange.transfers: zone {t.Zone}: notify '{n}' is not ADDR:PORT");
            transfers[zone] = new ZoneTransferRule(zone, t.Networks(errors), names, notify, names.Count > 0 ? ring.Find(names[0]) : null);
        }
        var updates = new List<UpdatePolicy>();
        foreach (var (u, index) in options.Updates.Select((u, i) => (u, i)))
            if (UpdatePolicy.From(u, errors, index, servedZones) is { } policy)
            {
                if (ring.Find(policy.Key) is null) errors.Add($"exchange.updates: key '{u.Key}' is in no key file");
                else updates.Add(policy);
            }
        if (options.MaxDynamicRecords < 1) errors.Add("exchange.maxDynamicRecords must be at least 1");
        if (options.MaxDynamicBytes < 1) errors.Add("exchange.maxDynamicBytes must be at least 1");
        if (options.NotifyInterval < TimeSpan.Zero || options.NotifyAttempts < 1) errors.Add("exchange.notifyInterval must be >= 0 and exchange.notifyAttempts >= 1");
        var secondaries = new Dictionary<DnsName, SecondaryZoneRule>();
        foreach (var z in options.Secondaries)
        {
            if (!DnsName.TryParse(z.Zone, out var zone, out var problem)) { errors.Add($"exchange.secondaries: zone '{z.Zone}': {problem}"); continue; }
            var primaries = new List<IPEndPoint>();
            foreach (var p in z.Primaries)
                if (IPEndPoint.TryParse(p, out var endpoint) && p.Contains(':') && endpoint.Port != 0) primaries.Add(endpoint);
                else errors.Add($"exchange.secondaries: zone {z.Zone}: primary '{p}' is not ADDR:PORT");
            if (primaries.Count == 0) errors.Add($"exchange.secondaries: zone {z.Zone}: no primaries");
            TsigKey? key = null;
            if (z.Key is { Length: > 0 } name && (!DnsName.TryParse(name, out var keyName, out _) || (key = ring.Find(keyName)) is null))
                errors.Add($"exchange.secondaries: zone {z.Zone}: key '{name}' is in no key file");
            if (z.MaxRecords < 1 || z.MaxBytes < 1) errors.Add($"exchange.secondaries: zone {z.Zone}: maxRecords and maxBytes must be at least 1");
            secondaries[zone] = new SecondaryZoneRule(zone, primaries, key) { MaxRecords = z.MaxRecords, MaxBytes = z.MaxBytes };
        }
        return new ExchangeSettings(ring, transfers, updates, options.NotifyInterval, Math.Max(1, options.NotifyAttempts))
        {
            Secondaries = secondaries,
            DynamicLimits = new UpdateLimits(options.MaxDynamicRecords, options.MaxDynamicBytes),
        };
    }
}
