using System.Net;
using System.Security.Cryptography.X509Certificates;
using GeoDns.Contracts;

namespace GeoDns.Sidecar.Check;

/// <summary>What every check works from: the config, the nameservers with what their admin APIs said, the zone.</summary>
public sealed record FleetView(SidecarOptions Options, IReadOnlyList<CheckedNameserver> Nameservers, string Zone, TimeProvider Time)
{
    public CheckOptions Check => Options.Check;
    public TimeSpan Timeout => Options.Check.Timeout;
    public string Pool => Options.Pool.TrimEnd('.');

    /// <summary>The name browsers ask the edges for: the certificate's, else the pool.</summary>
    public string Domain => Options.Nginx.Domains.FirstOrDefault() ?? Pool;

    /// <summary>Roots to trust instead of the system's (tests); null: the system's, SSL_CERT_FILE included, as OpenSSL reads it.</summary>
    public X509Certificate2Collection? Roots { get; init; }

    /// <summary>The edges some nameserver answers now: by name, with the addresses held in answers.</summary>
    public IReadOnlyList<EdgeView> Serving =>
        Nameservers.SelectMany(n => n.Edges ?? []).Where(e => e.InAnswers)
            .GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

    /// <summary>Every address answers may hold, with its edge, from <paramref name="edges"/>.</summary>
    public static IReadOnlyDictionary<IPAddress, EdgeView> ServingAddresses(IEnumerable<EdgeView> edges)
    {
        var map = new Dictionary<IPAddress, EdgeView>();
        foreach (var edge in edges.Where(e => e.InAnswers))
            foreach (var address in edge.Addresses.Where(a => a.InAnswers))
                if (IPAddress.TryParse(address.Address, out var parsed)) map.TryAdd(parsed, edge);
        return map;
    }

    /// <summary>An address as lines show it: with its edge's name when some nameserver knows it.</summary>
    public string Describe(IPAddress address)
    {
        var text = address.ToString();
        var edge = Nameservers.SelectMany(n => n.Edges ?? []).FirstOrDefault(e => e.Addresses.Any(a => a.Address == text));
        return edge is null ? text : $"{edge.Name} {text}";
    }

    /// <summary>The nameserver at <paramref name="address"/>, if it is one of ours.</summary>
    public CheckedNameserver? NameserverAt(IPAddress address) => Nameservers.FirstOrDefault(n => n.Dns.Address.Equals(address));
}
