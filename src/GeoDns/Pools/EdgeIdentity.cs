namespace GeoDns.Pools;

/// <summary>
/// The rule that an edge name means one machine: names match ignoring case (as DNS names do), and
/// one name may appear in several pools only with the same addresses. The config check, the merge of
/// stored edges and the admin API all ask here.
/// </summary>
public static class EdgeIdentity
{
    public static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    public static bool SameName(string a, string b) => Names.Equals(a, b);

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> share a name but not their addresses.</summary>
    public static bool Conflicts(Edge a, Edge b) => SameName(a.Name, b.Name) && (!Equals(a.Ipv4, b.Ipv4) || !Equals(a.Ipv6, b.Ipv6));

    /// <summary>The edge of <paramref name="pools"/> that <paramref name="edge"/> would clash with, or null.</summary>
    public static Edge? ConflictIn(PoolSet pools, Edge edge) => pools.Pools.SelectMany(p => p.Edges).FirstOrDefault(e => Conflicts(e, edge));

    public static string Message(Edge existing) => $"edge '{existing.Name}' exists with other addresses; an edge name means one machine";

    /// <summary>Up to 63 letters, digits, '-', '_' and '.', starting with a letter or digit: a host label's shape, safe as one path segment.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
