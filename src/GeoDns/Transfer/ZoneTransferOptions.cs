using System.Net;

namespace GeoDns.Transfer;

/// <summary>
/// Who may transfer one zone and whom to NOTIFY of its changes. A transfer is allowed when the client's
/// address is in <see cref="AllowFrom"/> (any address when empty) and it signed with one of <see cref="Keys"/>
/// (unsigned is fine when empty); with both empty nobody may transfer (REFUSED).
/// </summary>
public sealed class ZoneTransferOptions
{
    /// <summary>The zone's origin, e.g. "example.com".</summary>
    public string Zone { get; set; } = "";

    /// <summary>Addresses or prefixes (e.g. "192.0.2.2", "2001:db8::/64") allowed to transfer.</summary>
    public List<string> AllowFrom { get; set; } = [];

    /// <summary>TSIG key names, one of which must sign each transfer request; the first also signs our NOTIFYs.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Secondaries to NOTIFY (RFC 1996) on every change, ADDR:PORT.</summary>
    public List<string> Notify { get; set; } = [];

    /// <summary>Parses <see cref="AllowFrom"/>; a bad entry is an error naming it.</summary>
    public IReadOnlyList<IPNetwork> Networks(List<string> errors)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in AllowFrom)
        {
            if (IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else errors.Add($"exchange.transfers: zone {Zone}: allowFrom '{entry}' is not an address or prefix");
        }
        return networks;
    }
}
