using GeoDns.Protocol;

namespace GeoDns.Updates;

/// <summary>A validated <see cref="UpdatePolicyOptions"/>: which key may change which names and types in which zone.</summary>
public sealed class UpdatePolicy
{
    public const string AcmeLabel = "_acme-challenge";

    private readonly DnsName? _zone;
    private readonly IReadOnlyList<string> _names;
    private readonly HashSet<ushort> _types;

    private UpdatePolicy(DnsName key, DnsName? zone, IReadOnlyList<string> names, HashSet<ushort> types) =>
        (Key, _zone, _names, _types) = (key, zone, names, types);

    public DnsName Key { get; }

    public static UpdatePolicy? From(UpdatePolicyOptions options, List<string> errors)
    {
        var at = $"exchange.updates: key '{options.Key}'";
        if (!DnsName.TryParse(options.Key, out var key, out var problem) || key.IsRoot) { errors.Add($"{at}: not a key name ({problem})"); return null; }
        DnsName? zone = null;
        if (options.Zone.Length > 0)
        {
            if (!DnsName.TryParse(options.Zone, out var z, out problem)) { errors.Add($"{at}: zone '{options.Zone}': {problem}"); return null; }
            zone = z;
        }
        var types = new HashSet<ushort>();
        foreach (var type in options.Types.Count == 0 ? ["TXT"] : options.Types)
        {
            if (!DnsType.TryParse(type, out var number) || number is DnsType.SOA or DnsType.ANY or DnsType.AXFR or DnsType.IXFR or DnsType.OPT or 250)
            { errors.Add($"{at}: type '{type}' cannot be updated"); return null; }
            types.Add(number);
        }
        return new UpdatePolicy(key, zone, [.. options.Names.Select(n => n.Trim().TrimEnd('.').ToLowerInvariant())], types);
    }

    public bool AllowsType(ushort type) => _types.Contains(type);

    /// <summary>May <paramref name="key"/> change (<paramref name="name"/>, <paramref name="type"/>) in the zone <paramref name="origin"/>?</summary>
    public bool Allows(DnsName key, DnsName origin, DnsName name, ushort type)
    {
        if (key != Key || (_zone is not null && _zone != origin) || !name.IsAtOrBelow(origin)) return false;
        if (type != DnsType.ANY && !_types.Contains(type)) return false; // ANY: the name, for the types allowed
        if (_names.Count == 0) return name.Wire[0] == AcmeLabel.Length && name.ToString().StartsWith(AcmeLabel + ".", StringComparison.Ordinal);
        var relative = name == origin ? "@" : name.ToString()[..^(origin.ToString().Length + (origin.IsRoot ? 0 : 1))];
        foreach (var pattern in _names)
        {
            if (pattern == relative) return true;
            if (pattern.StartsWith("*.", StringComparison.Ordinal) && relative.EndsWith(pattern[1..], StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
