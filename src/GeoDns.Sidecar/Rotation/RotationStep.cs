namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// The steps of a rotation, in order. The old edge leaves the answers (<see cref="Drain"/>) only
/// after its replacement is Up on every nameserver, so a rotation that stops anywhere leaves the
/// pool at least as strong as it found it.
/// </summary>
public enum RotationStep
{
    /// <summary>The create hook makes (or finds) the new VPS.</summary>
    Create = 1,

    /// <summary>Keys and tunnel address for the new edge, its configs rendered, the provision hook installs them.</summary>
    Provision,

    /// <summary>The home's wg0.conf gains the new peer and is applied.</summary>
    AddPeer,

    /// <summary>Every nameserver is told of the new edge.</summary>
    AddToPool,

    /// <summary>Until every nameserver's probes see the new edge Up.</summary>
    WaitUp,

    /// <summary>The old edge is drained on every nameserver: out of the answers, still serving.</summary>
    Drain,

    /// <summary>Until resolvers and clients have let go of the old address.</summary>
    WaitDrain,

    /// <summary>The destroy hook deletes the old VPS.</summary>
    Destroy,

    /// <summary>The old peer leaves the home's wg0.conf and the old edge every nameserver.</summary>
    RemoveOld,

    /// <summary>With <c>hooks.rekey</c>: a certificate with a new key, pushed to the live edges only (the old edge held the last one).</summary>
    Rekey,

    Done,
}
