namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The steps of <c>rotate NAMESERVER</c>, in order. The old VPS answers until the last step: resolvers that hold its
/// address (the parent's glue, the zone's own records) keep getting answers while the new one takes over.
/// </summary>
public enum NameserverRotationStep
{
    /// <summary>Preflight, then the create hook makes (or finds) the new VPS.</summary>
    Create = 1,

    /// <summary>The state says the nameserver is the new VPS; every nameserver's files are written again and the home's tunnels applied.</summary>
    Switch,

    /// <summary>
    /// The new VPS is installed and given the pool's edges; every other nameserver whose files changed is installed again,
    /// one at a time; until every nameserver answers the new address.
    /// </summary>
    Provision,

    /// <summary>The delegate hook gives the parent the new glue; until the parent serves it.</summary>
    Delegate,

    /// <summary>Until resolvers have let go of the old address (<see cref="FleetOptions.RetireWait"/>).</summary>
    Retire,

    /// <summary>The destroy hook deletes the old VPS.</summary>
    Destroy,

    Done,
}
