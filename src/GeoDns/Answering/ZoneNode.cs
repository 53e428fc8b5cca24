using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Answering;

/// <summary>
/// One name of a zone's tree: its RRsets in file order, or none for an empty non-terminal
/// (which exists all the same, RFC 8020). <see cref="Cut"/> and <see cref="Dname"/> say what
/// overrides the data here: a delegation at or above this name, or a DNAME strictly above it.
/// </summary>
public sealed class ZoneNode(DnsName name, Zone zone)
{
    public DnsName Name { get; } = name;
    public Zone Zone { get; } = zone;
    public List<RRset> RRsets { get; } = [];

    /// <summary>The topmost delegation point (NS below the apex) at or above this name.</summary>
    public ZoneNode? Cut { get; set; }

    /// <summary>The topmost node strictly above this name that owns a DNAME (RFC 6672 §2.3: it occludes us).</summary>
    public ZoneNode? Dname { get; set; }

    public RRset? Find(ushort type)
    {
        foreach (var set in RRsets)
            if (set.Type == type) return set;
        return null;
    }
}
