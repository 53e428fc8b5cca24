using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>A validated <see cref="UpdatePolicyOptions"/>: which key may change which names and types in which zone.</summary>
public sealed class UpdatePolicy
{
    public const string AcmeLabel = "_acme-challenge";
    /// <summary>The <see cref="UpdatePolicyOptions.Zone"/> that means every zone we serve from files.</summary>
    public const string EveryZone = "*";

    private readonly DnsName? _zone;
    private readonly IReadOnlyList<NamePattern> _names;
    private readonly HashSet<ushort> _types;

    /// <summary>A name pattern relative to the zone, as labels: "@" is the apex (no labels), "*.dyn" any name strictly below "dyn".</summary>
    private sealed record NamePattern(byte[] Labels, bool Below);

    private UpdatePolicy(DnsName key, DnsName? zone, IReadOnlyList<NamePattern> names, HashSet<ushort> types) =>
        (Key, _zone, _names, _types) = (key, zone, names, types);

    public DnsName Key { get; }

    /// <param name="index">Where the policy is in <c>exchange.updates</c>, to name the key at fault.</param>
    /// <param name="servedZones">The zones served from files: an empty zone binds to the one there is, and is an error when there are more.</param>
    public static UpdatePolicy? From(UpdatePolicyOptions options, List<string> errors, int index = 0, IReadOnlyCollection<DnsName>? servedZones = null)
    {
        var at = $"exchange.updates: key '{options.Key}'";
        if (!DnsName.TryParse(options.Key, out var key, out var problem) || key.IsRoot) { errors.Add($"{at}: not a key name ({problem})"); return null; }
        var (ok, zone) = Zone(options.Zone, $"exchange.updates[{index}].zone", servedZones ?? [], errors);
        if (!ok) return null;
        var types = new HashSet<ushort>();
        foreach (var type in options.Types.Count == 0 ? ["TXT"] : options.Types)
        {
            if (!DnsType.TryParse(type, out var number) || number is DnsType.SOA or DnsType.ANY or DnsType.AXFR or DnsType.IXFR or DnsType.OPT or 250)
            { errors.Add($"{at}: type '{type}' cannot be updated"); return null; }
            types.Add(number);
        }
        var names = new List<NamePattern>();
        foreach (var text in options.Names.Select(n => n.Trim().TrimEnd('.')))
        {
            var below = text.StartsWith("*.", StringComparison.Ordinal);
            var relative = below ? text[2..] : text;
            if (relative == "@" && !below) { names.Add(new NamePattern([], false)); continue; }
            if (!DnsName.TryParse(relative, out var name, out problem) || name.IsRoot) { errors.Add($"{at}: name '{text}': {problem}"); return null; }
            names.Add(new NamePattern(name.Wire[..^1], below));
        }
        return new UpdatePolicy(key, zone, names, types);
    }

    /// <summary>"*" is every zone; empty is the only zone served, and an error when more than one is (which one would be meant?).</summary>
    private static (bool Ok, DnsName? Zone) Zone(string text, string at, IReadOnlyCollection<DnsName> servedZones, List<string> errors)
    {
        if (text == EveryZone) return (true, null);
        if (text.Length == 0)
        {
            if (servedZones.Count <= 1) return (true, servedZones.FirstOrDefault());
            errors.Add($"{at}: required when more than one zone is served ({string.Join(", ", servedZones.Select(z => z.ToString()).Order(StringComparer.Ordinal))}); name the zone, or \"*\" for every zone");
            return (false, null);
        }
        if (DnsName.TryParse(text, out var zone, out var problem)) return (true, zone);
        errors.Add($"{at}: '{text}': {problem}");
        return (false, null);
    }

    public bool AllowsType(ushort type) => _types.Contains(type);

    /// <summary>May <paramref name="key"/> change (<paramref name="name"/>, <paramref name="type"/>) in the zone <paramref name="origin"/>?</summary>
    public bool Allows(DnsName key, DnsName origin, DnsName name, ushort type)
    {
        if (key != Key || (_zone is not null && _zone != origin) || !name.IsAtOrBelow(origin)) return false;
        if (type != DnsType.ANY && !_types.Contains(type)) return false; // ANY: the name, for the types allowed
        if (_names.Count == 0) return name.Wire[0] == AcmeLabel.Length && name.ToString().StartsWith(AcmeLabel + ".", StringComparison.Ordinal);
        // Compared as labels, never as text: "*.dyn" must not match the one label "x\.dyn", whose text ends in ".dyn".
        var relative = name.Wire.AsSpan(0, name.Wire.Length - origin.Wire.Length);
        foreach (var pattern in _names)
        {
            if (!pattern.Below) { if (relative.SequenceEqual(pattern.Labels)) return true; continue; }
            var cut = relative.Length - pattern.Labels.Length;
            if (cut > 0 && relative[cut..].SequenceEqual(pattern.Labels) && OnLabelBoundary(relative, cut)) return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="offset"/> starts a label of <paramref name="labels"/> (walking the length octets).</summary>
    private static bool OnLabelBoundary(ReadOnlySpan<byte> labels, int offset)
    {
        var i = 0;
        while (i < offset) i += labels[i] + 1;
        return i == offset;
    }
}
