using System.Globalization;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// What <c>wg show INTERFACE latest-handshakes</c> prints: one line per peer, its public key, a tab, and the Unix
/// time of its latest handshake (0: none since the interface came up). Lines that do not read so are skipped.
/// </summary>
public static class LatestHandshakes
{
    /// <summary>Public key → the latest handshake, or null for "never".</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset?> Parse(string output)
    {
        var peers = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2 || !KeyPair.IsValidKey(fields[0]) || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) continue;
            peers[fields[0]] = seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        return peers;
    }
}
