namespace GeoDns.Sidecar.State;

/// <summary>Where an edge is in its life, as far as the sidecar is concerned.</summary>
public enum EdgeRole
{
    /// <summary>Created by a rotation, not yet Up on every nameserver: it has a tunnel, but is not relied on.</summary>
    Joining,

    /// <summary>In the pool and serving.</summary>
    Serving,

    /// <summary>Out of the answers, still serving those who hold its address, until destroyed.</summary>
    Draining,

    /// <summary>Destroyed; kept so its name is never reused and its history stays readable.</summary>
    Retired,
}
