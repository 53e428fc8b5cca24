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

    public void SaveBought(EdgeHost host) => state.Put(Collection, "host:" + host.Name.ToLowerInvariant(), host);

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
