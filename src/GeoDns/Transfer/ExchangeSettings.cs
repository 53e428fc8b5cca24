using System.Net;
using GeoDns.Protocol;
using GeoDns.Tsig;
using GeoDns.Updates;

namespace GeoDns.Transfer;

/// <summary>The exchange's configuration, validated and immutable; a reload builds a new one.</summary>
public sealed record ExchangeSettings(TsigKeyRing Keys, IReadOnlyDictionary<DnsName, ZoneTransferRule> Transfers, IReadOnlyList<UpdatePolicy> Updates, TimeSpan NotifyInterval, int NotifyAttempts)
{
    public static readonly ExchangeSettings Empty = new(TsigKeyRing.Empty, new Dictionary<DnsName, ZoneTransferRule>(), [], TimeSpan.FromSeconds(1), 5);

    /// <summary>Reads the key files and checks every entry; errors name the file and line or the config key.</summary>
    public static ExchangeSettings Build(ExchangeOptions options, List<string> errors)
    {
        var keys = new List<TsigKey>();
        foreach (var file in options.KeyFiles) keys.AddRange(TsigKeyFile.Load(file, errors));
        var ring = new TsigKeyRing(keys);
        var transfers = new Dictionary<DnsName, ZoneTransferRule>();
        foreach (var t in options.Transfers)
        {
            if (!DnsName.TryParse(t.Zone, out var zone, out var problem)) { errors.Add($"transfers: zone '{t.Zone}': {problem}"); continue; }
            var names = new List<DnsName>();
            foreach (var k in t.Keys)
                if (DnsName.TryParse(k, out var name, out _) && ring.Find(name) is not null) names.Add(name);
                else errors.Add($"transfers: zone {t.Zone}: key '{k}' is in no key file");
            var notify = new List<IPEndPoint>();
            foreach (var n in t.Notify)
                if (IPEndPoint.TryParse(n, out var endpoint) && n.Contains(':') && endpoint.Port != 0) notify.Add(endpoint);
                else errors.Add($"transfers: zone {t.Zone}: notify '{n}' is not ADDR:PORT");
            transfers[zone] = new ZoneTransferRule(zone, t.Networks(errors), names, notify, names.Count > 0 ? ring.Find(names[0]) : null);
        }
        var updates = new List<UpdatePolicy>();
        foreach (var u in options.Updates)
            if (UpdatePolicy.From(u, errors) is { } policy)
            {
                if (ring.Find(policy.Key) is null) errors.Add($"updates: key '{u.Key}' is in no key file");
                else updates.Add(policy);
            }
        if (options.NotifyInterval < TimeSpan.Zero || options.NotifyAttempts < 1) errors.Add("notifyInterval must be >= 0 and notifyAttempts >= 1");
        return new ExchangeSettings(ring, transfers, updates, options.NotifyInterval, Math.Max(1, options.NotifyAttempts));
    }
}
