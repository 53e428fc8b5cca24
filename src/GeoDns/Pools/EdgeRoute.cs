using System.Net;
using GeoDns.Health;
using GeoDns.Protocol;

namespace GeoDns.Pools;

/// <summary>One edge of a pool as answering sees it: probe state per address, after drains and forced states.</summary>
public sealed record EdgeRoute(Edge Edge, HealthState Ipv4, HealthState Ipv6, bool Drained, HealthState? Forced)
{
    /// <summary>Forced state wins over probes; a drained edge is never answered but still probed.</summary>
    public HealthState Effective(HealthState probed) => Forced ?? probed;

    public bool Answers(HealthState probed) => !Drained && Effective(probed) is HealthState.Up or HealthState.Suspect;

    /// <summary>The edge's address of one family (A or AAAA) if it is answered now, and whether it is only Suspect.</summary>
    public (IPAddress Address, bool Suspect)? Answerable(ushort type)
    {
        var (address, probed) = type == DnsType.A ? (Edge.Ipv4, Ipv4) : (Edge.Ipv6, Ipv6);
        return address is not null && Answers(probed) ? (address, Effective(probed) == HealthState.Suspect) : null;
    }

    public bool InAnswers => (Edge.Ipv4 is not null && Answers(Ipv4)) || (Edge.Ipv6 is not null && Answers(Ipv6));
}
