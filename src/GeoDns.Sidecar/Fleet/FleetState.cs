using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// What the state file knows of the fleet: the nameservers bootstrap bought (their addresses, as the create hook
/// printed them: kept, so a run again never buys a second one) and what each was last provisioned with (the
/// package and a digest of its files: a run again skips a nameserver that has both, and <c>upgrade</c> knows what
/// to roll back to). After <c>rotate NAMESERVER</c>, the VPS that replaced it, and the addresses it had before.
/// </summary>
public sealed class FleetState(StateFile state)
{
    private const string Collection = "fleet";

    /// <summary>The fleet's TSIG secret for its transfers, made once.</summary>
    public string TransferSecret()
    {
        var secret = state.Get<string>(Collection, "transferSecret");
        if (secret is null) state.Put(Collection, "transferSecret", secret = NameserverBundle.NewTransferSecret());
        return secret;
    }

    public EdgeHost? Bought(string name) => state.Get<EdgeHost>(Collection, "host:" + name.ToLowerInvariant());

    /// <summary>Keeps the host, and a copy in <see cref="HostsFile"/> for readers that run beside the daemon holding the state (<c>check</c>).</summary>
    public void SaveBought(EdgeHost host, string data)
    {
        state.Put(Collection, "host:" + host.Name.ToLowerInvariant(), host);
        WriteHosts(data, host.Name, host);
    }

    /// <summary>Puts nameserver <paramref name="name"/>'s host in <see cref="HostsFile"/> under that name (a moved one's VPS, ns1-r1, under ns1).</summary>
    private static void WriteHosts(string data, string name, EdgeHost host)
    {
        var hosts = ReadHosts(data).Where(h => !h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Append(host with { Name = name }).OrderBy(h => h.Name, StringComparer.Ordinal);
        var path = HostsFile(data);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", System.Text.Json.JsonSerializer.Serialize(hosts, Reports.ReportJson.Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary><c>DATA/fleet/hosts.json</c>: the bought nameservers' names and public addresses (nothing secret).</summary>
    public static string HostsFile(string data) => Path.Combine(data, "fleet", "hosts.json");

    /// <summary>Fills the bought nameservers' addresses from <see cref="HostsFile"/>, without opening the state file.</summary>
    public static void FillFromFile(SidecarOptions options)
    {
        var hosts = ReadHosts(options.Data);
        foreach (var nameserver in options.Fleet.Nameservers.Where(n => !n.Exists))
            if (hosts.FirstOrDefault(h => h.Name.Equals(nameserver.Name, StringComparison.OrdinalIgnoreCase)) is { } host)
                (nameserver.Ipv4, nameserver.Ipv6) = (host.Ipv4, host.Ipv6);
        options.FollowFleet();
    }

    private static List<EdgeHost> ReadHosts(string data)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<EdgeHost>>(File.ReadAllText(HostsFile(data)), Reports.ReportJson.Options) ?? [];
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public Provisioned? LastProvisioned(string name) => state.Get<Provisioned>(Collection, "provisioned:" + name.ToLowerInvariant());

    public void SaveProvisioned(string name, Provisioned done) => state.Put(Collection, "provisioned:" + name.ToLowerInvariant(), done);

    /// <summary>The upgrade of nameserver <paramref name="name"/> under way, if one is: journaled before the new package goes in.</summary>
    public NameserverUpgrade? Upgrading(string name) => state.Get<NameserverUpgrade>(Collection, "upgrade:" + name.ToLowerInvariant());

    public void SaveUpgrading(string name, NameserverUpgrade upgrade) => state.Put(Collection, "upgrade:" + name.ToLowerInvariant(), upgrade);

    /// <summary>The nameserver is back, on the new package or the one it had.</summary>
    public void EndUpgrading(string name) => state.Delete(Collection, "upgrade:" + name.ToLowerInvariant());

    /// <summary>
    /// Records that nameserver <paramref name="name"/> is the VPS <paramref name="host"/> now, in place of the one at
    /// <paramref name="replaced"/>: from here on the state, not sidecar.json, says where it is (<see cref="Fill"/>).
    /// </summary>
    public void SaveMoved(string name, EdgeHost host, IEnumerable<string> replaced, string data)
    {
        state.Put(Collection, "replaced:" + name.ToLowerInvariant(), Replaced(name).Union(replaced).ToList());
        state.Put(Collection, "host:" + name.ToLowerInvariant(), host);
        WriteHosts(data, name, host);
    }

    /// <summary>Every address a rotation moved nameserver <paramref name="name"/> away from.</summary>
    public IReadOnlyList<string> Replaced(string name) => state.Get<List<string>>(Collection, "replaced:" + name.ToLowerInvariant()) ?? [];

    /// <summary>
    /// Gives each nameserver the addresses of the VPS the state says it is: one listed without addresses gets those its
    /// create hook printed; one listed at an address a rotation replaced gets its new VPS's (the state wins, and a note
    /// says to update sidecar.json). One listed at any other address is where the config says: moved by hand.
    /// </summary>
    /// <returns>The notes, by nameserver, for each one sidecar.json lists at an old address.</returns>
    public IReadOnlyDictionary<string, string> Fill(FleetOptions fleet)
    {
        var notes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var nameserver in fleet.Nameservers)
        {
            var listed = new[] { nameserver.Ipv4, nameserver.Ipv6 }.OfType<string>().ToList();
            nameserver.Listed ??= listed;
            if (Bought(nameserver.Name) is not { } host) continue;
            var stale = listed.Intersect(Replaced(nameserver.Name)).ToList();
            var same = nameserver.Ipv4 == host.Ipv4 && nameserver.Ipv6 == host.Ipv6;
            if (listed.Count > 0 && stale.Count == 0 && !same) continue;
            if (stale.Count > 0) notes[nameserver.Name] = StaleNote(nameserver.Name, stale, host);
            (nameserver.Ipv4, nameserver.Ipv6, nameserver.Vps) = (host.Ipv4, host.Ipv6, host.Name);
        }
        return notes;
    }

    /// <summary>
    /// For commands that open no session (<c>check</c>): fills <paramref name="options"/>' fleet from the state file, when
    /// there is one and no <c>run</c> holds it, and returns the notes (held, <see cref="FillFromFile"/> fills those listed
    /// without addresses; one listed at a replaced address stays there).
    /// </summary>
    public static IEnumerable<string> Read(SidecarOptions options)
    {
        if (!options.Fleet.Configured || !File.Exists(Path.Combine(Path.GetFullPath(options.Data), StateFile.FileName))) return [];
        var opened = StateFile.Open(options.Data);
        if (!opened.Ok) return [];
        using var state = opened.Value!;
        var notes = new FleetState(state).Fill(options.Fleet);
        options.FollowFleet();
        return notes.Values.ToList();
    }

    /// <summary>What to tell the user when sidecar.json lists nameserver <paramref name="name"/> at <paramref name="listed"/>, which it left for <paramref name="host"/>.</summary>
    public static string StaleNote(string name, IEnumerable<string> listed, EdgeHost host) =>
        $"sidecar.json lists nameserver {name} at {string.Join(", ", listed)}, the VPS a rotation replaced: it is {host.Name} at "
        + $"{string.Join(", ", new[] { host.Ipv4, host.Ipv6 }.OfType<string>())} now, as the state file says (which wins); set its ipv4/ipv6 to that, or remove them";
}

/// <summary>
/// A nameserver's last provisioning: the package file installed (its kept copy, <see cref="NameserverPackages"/>; the
/// path as given in states written before packages were kept), the digest of the files it got, and the VPS it went to
/// (null in states written before bootstrap recorded it: the nameserver's own name, as bootstrap buys it).
/// </summary>
public sealed record Provisioned(string Package, string Files, DateTimeOffset At, string? Host = null);
