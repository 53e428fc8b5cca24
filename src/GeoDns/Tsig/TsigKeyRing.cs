using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>The keys loaded from the configured key files, by name.</summary>
public sealed class TsigKeyRing(IEnumerable<TsigKey> keys)
{
    public static readonly TsigKeyRing Empty = new([]);

    private readonly Dictionary<DnsName, TsigKey> _keys = keys.GroupBy(k => k.Name).ToDictionary(g => g.Key, g => g.Last());

    public TsigKey? Find(DnsName name) => _keys.GetValueOrDefault(name);

    public IReadOnlyCollection<TsigKey> Keys => _keys.Values;
}
