using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Geo;
using GeoDns.Pools;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// Answers "why did this client get that answer?": places the client the way the query path does
/// (<see cref="ClientLocator"/>), asks the pool's <see cref="GeoAnswer"/> for its choice, and lays out every
/// edge with its distance and state beside it. Static names show their zone-file records.
/// </summary>
public static class AnswerExplainer
{
    /// <param name="snapshot">Taken once by the caller: the route, the health beside it and the geo choice shown are the ones answered together.</param>
    public static ExplainView? Explain(Snapshot snapshot, string? name, string? type, IPAddress client, string? ecs, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(name)) return Fail(out error, "name: give the name to explain, e.g. ?name=app.example.com");
        if (!DnsName.TryParse(name, out var qname, out var nameError)) return Fail(out error, $"name: {nameError}");
        if (!DnsType.TryParse(type ?? "A", out var qtype)) return Fail(out error, $"type: '{type}' is not a record type");
        (IPAddress Address, int Prefix)? subnet = null;
        if (ecs is not null)
        {
            if (Subnet(ecs) is not { } parsed) return Fail(out error, $"ecs: '{ecs}' is not a subnet such as 81.2.69.0/24 or 2a02:db8::/48");
            subnet = parsed;
        }
        client = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var (location, view, scope) = Locate(snapshot.Geo, client, subnet);
        var pool = snapshot.PoolAnswer(qname);
        return pool is not null && qtype is DnsType.A or DnsType.AAAA
            ? PoolExplanation.Explain(pool, qname, qtype, location, snapshot.Geo is null ? null : view, scope, snapshot.Health) with { Client = client.ToString(), Ecs = ecs }
            : Static(snapshot, qname, qtype, client, ecs);
    }

    private static (GeoLocation Location, LocationView View, int Scope) Locate(GeoDatabase? geo, IPAddress client, (IPAddress Address, int Prefix)? subnet)
    {
        var ecs = subnet is { Prefix: > 0 } s ? s.Address.GetAddressBytes() : [];
        var prefix = subnet?.Prefix ?? 0;
        byte scope = 0;
        var location = geo is null ? default : ClientLocator.Locate(geo, ecs, prefix, client.GetAddressBytes(), out scope);
        var bits = Math.Min(prefix, ecs.Length == 4 ? ClientLocator.Ipv4SubnetCap : ClientLocator.Ipv6SubnetCap);
        var lookedUp = ecs.Length > 0 ? $"{Truncated(subnet!.Value.Address, bits)}/{bits}" : client.ToString();
        var view = new LocationView(lookedUp, ecs.Length > 0 ? "ecs" : "client", location.IsKnown, location.Country, location.Continent,
            location.Latitude, location.Longitude, location.PrefixLength);
        return (location, view, scope);
    }

    private static ExplainView Static(Snapshot snapshot, DnsName qname, ushort qtype, IPAddress client, string? ecs)
    {
        var resolution = snapshot.Table.Resolver?.Resolve(qname, qtype);
        var refused = resolution is null || (resolution.Rcode == Rcode.Refused && !resolution.Authoritative);
        var answer = resolution?.Answer.SelectMany(set => set.Records.Select(r => RecordText.Format(set.Owner, set.Ttl, r))).ToList() ?? [];
        var authority = resolution?.Authority.SelectMany(set => set.Records.Select(r => RecordText.Format(set.Owner, set.Ttl, r))).ToList() ?? [];
        var reason = refused
            ? $"{qname} is not in a zone this server serves: REFUSED"
            : "from the zone files: every client gets the same answer" + (snapshot.Routes.Find(qname) is not null ? " (only A and AAAA of a pool are chosen per client)" : "");
        return new ExplainView(qname.ToString(), DnsType.ToString(qtype), refused ? "refused" : "static", client.ToString(), ecs, null, reason, [], answer, authority,
            QueryLabels.Rcodes[QueryLabels.RcodeIndex(resolution?.Rcode ?? Rcode.Refused)], resolution?.Answer.FirstOrDefault()?.Ttl, 0);
    }

    private static (IPAddress, int)? Subnet(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || !int.TryParse(parts[1], out var prefix)) return null;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefix < 0 || prefix > max ? null : (address, prefix);
    }

    private static IPAddress Truncated(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++) bytes[i] &= (byte)(0xFF00 >> Math.Clamp(bits - 8 * i, 0, 8));
        return new IPAddress(bytes);
    }

    private static ExplainView? Fail(out string error, string message)
    {
        error = message;
        return null;
    }
}
