using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Check;

/// <summary>
/// The peers of the home's WireGuard interface, read from the file the sidecar writes for it
/// (<c>wireguardDir/INTERFACE.peers</c>, <see cref="HomeConfig.Render"/>): each <c># NAME</c> comment, then its
/// <c>PublicKey</c>. It is what the interface holds, and it can be read while <c>run</c> holds the state file.
/// </summary>
public static class HomePeers
{
    /// <summary>Name → public key, in file order.</summary>
    public static IReadOnlyList<(string Name, string PublicKey)> Parse(string text)
    {
        var peers = new List<(string, string)>();
        string? name = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) name = line.TrimStart('#').Trim();
            else if (line.StartsWith("PublicKey", StringComparison.Ordinal) && line.Split('=', 2) is [_, var key] && name is not null)
            {
                peers.Add((name, key.Trim()));
                name = null;
            }
        }
        return peers;
    }
}
