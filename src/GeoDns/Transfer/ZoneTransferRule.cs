using System.Net;
using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.Transfer;

/// <summary>A validated <see cref="ZoneTransferOptions"/>.</summary>
public sealed record ZoneTransferRule(DnsName Zone, IReadOnlyList<IPNetwork> AllowFrom, IReadOnlyList<DnsName> Keys, IReadOnlyList<IPEndPoint> Notify, TsigKey? NotifyKey)
{
    /// <summary>Address and key must both pass where both are configured; with neither configured nobody passes.</summary>
    public bool Allows(IPAddress client, TsigKey? key)
    {
        if (AllowFrom.Count == 0 && Keys.Count == 0) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (AllowFrom.Count > 0 && !AllowFrom.Any(n => n.Contains(client))) return false;
        return Keys.Count == 0 || (key is not null && Keys.Contains(key.Name));
    }
}
