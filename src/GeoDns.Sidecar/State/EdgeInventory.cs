using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.State;

/// <summary>The home's key pair and every edge the sidecar has known, in the state file.</summary>
public sealed class EdgeInventory(StateFile state, TimeProvider time)
{
    private const string Edges = "edges";
    private const string Home = "home";
    private const string Nameservers = "nameservers";

    /// <summary>The home's key pair, generated on first use and kept.</summary>
    public KeyPair HomeKeys(Func<KeyPair> generate)
    {
        if (state.Get<KeyPair>(Home, "keys") is { } keys) return keys;
        keys = generate();
        state.Put(Home, "keys", keys);
        return keys;
    }

    /// <summary>The key pair of the nameserver tunnel <paramref name="name"/>, generated on first use and kept.</summary>
    public KeyPair NameserverKeys(string name, Func<KeyPair> generate)
    {
        if (state.Get<KeyPair>(Nameservers, Key(name)) is { } keys) return keys;
        keys = generate();
        state.Put(Nameservers, Key(name), keys);
        return keys;
    }

    public IReadOnlyList<KnownEdge> All() =>
        state.All<KnownEdge>(Edges).Select(r => r.Value).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

    public KnownEdge? Find(string name) => state.Get<KnownEdge>(Edges, Key(name));

    public void Save(KnownEdge edge) => state.Put(Edges, Key(edge.Name), edge);

    /// <summary>Adds the edges listed in sidecar.json that were never known; a listed edge that was rotated away stays retired.</summary>
    public IReadOnlyList<KnownEdge> Seed(IEnumerable<EdgeHost> listed)
    {
        var added = new List<KnownEdge>();
        foreach (var host in listed.Where(h => Find(h.Name) is null))
        {
            var edge = new KnownEdge(host, EdgeRole.Serving, null, null, time.GetUtcNow());
            Save(edge);
            added.Add(edge);
        }
        return added;
    }

    /// <summary>Gives every edge that holds a tunnel its keys and address, keeping those it has.</summary>
    public Outcome Complete(TunnelAddresses tunnel, Func<KeyPair> generate)
    {
        foreach (var edge in All().Where(e => e.HoldsTunnel && (e.Keys is null || e.Tunnel is null)))
        {
            var address = edge.Tunnel ?? tunnel.Allocate(All().Where(e => e.HoldsTunnel).Select(e => e.Tunnel).OfType<string>())?.ToString();
            if (address is null) return Outcome.Failed($"the tunnel network has no free address for {edge.Name}");
            Save(edge with { Keys = edge.Keys ?? generate(), Tunnel = address });
        }
        return Outcome.Success;
    }

    public void Change(string name, EdgeRole role)
    {
        if (Find(name) is { } edge && edge.Role != role) Save(edge with { Role = role, Since = time.GetUtcNow() });
    }

    // Edge names are host names: one edge whatever the case.
    private static string Key(string name) => name.ToLowerInvariant();
}
