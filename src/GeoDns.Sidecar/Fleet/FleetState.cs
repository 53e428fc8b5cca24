using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// What the state file knows of the fleet: the nameservers bootstrap bought (their addresses, as the create hook
/// printed them: kept, so a run again never buys a second one) and what each was last provisioned with (the
/// package and a digest of its files: a run again skips a nameserver that has both, and <c>upgrade</c> knows what
/// to roll back to).
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
        var hosts = ReadHosts(data).Where(h => !h.Name.Equals(host.Name, StringComparison.OrdinalIgnoreCase)).Append(host).OrderBy(h => h.Name, StringComparer.Ordinal);
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

    /// <summary>Gives each nameserver listed without addresses the ones its create hook printed, when it was bought.</summary>
    public void Fill(FleetOptions fleet)
    {
        foreach (var nameserver in fleet.Nameservers.Where(n => !n.Exists))
            if (Bought(nameserver.Name) is { } host) (nameserver.Ipv4, nameserver.Ipv6) = (host.Ipv4, host.Ipv6);
    }
}

/// <summary>A nameserver's last provisioning: the package file installed (its path, as given) and the digest of the files it got.</summary>
public sealed record Provisioned(string Package, string Files, DateTimeOffset At);
