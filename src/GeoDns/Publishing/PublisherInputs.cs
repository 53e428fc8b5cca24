using GeoDns.Answering;
using GeoDns.Geo;
using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Zones;

namespace GeoDns.Publishing;

/// <summary>Everything the answers are made of, as last given to the <see cref="Publisher"/>. Immutable; each change makes a new one.</summary>
internal sealed record PublisherInputs(
    ZoneSet Zones,
    IReadOnlyList<PoolOptions> PoolOptions,
    string? ConfigFileError,
    IReadOnlyList<StoredEdge> StoredEdges,
    HealthReport Health,
    IReadOnlyDictionary<string, EdgeOverride> Overrides,
    GeoDatabase? Geo)
{
    public static readonly PublisherInputs Empty = new(ZoneSet.Empty, [], null, [], HealthReport.Empty, new Dictionary<string, EdgeOverride>(), null);

    /// <summary>Whether probes have spoken (health was handed in): before the first round every edge is Unknown, which is no news about the pools.</summary>
    public bool HealthKnown { get; init; }

    public DefencePolicy Defences { get; init; } = DefencePolicy.Off;

    /// <summary>The pools' emergency switches that are on, by <see cref="EmergencySwitch.Key"/>.</summary>
    public IReadOnlyDictionary<string, EmergencySwitch> Emergencies { get; init; } = new Dictionary<string, EmergencySwitch>();
}
