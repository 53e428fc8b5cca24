using System.Net;
using System.Net.Sockets;

namespace GeoDns.Server.Admin;

/// <summary>
/// Wrong tokens per client, in fixed one-minute windows: after <see cref="Limit"/> in a window the
/// client is refused until the window ends, so guessing the token costs minutes per ten tries.
/// IPv6 clients are counted per /64, since one host can use any address of its /64.
/// </summary>
public sealed class FailedAttempts(TimeProvider time)
{
    public const int Limit = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>Past this many clients, expired windows are dropped, so a scan from many addresses cannot grow the table unbounded.</summary>
    private const int PruneAbove = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, (DateTimeOffset Start, int Count)> _clients = [];

    public void Record(IPAddress? client)
    {
        var key = Key(client);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_clients.Count > PruneAbove)
                foreach (var expired in _clients.Where(c => now - c.Value.Start >= Window).Select(c => c.Key).ToList()) _clients.Remove(expired);
            _clients[key] = _clients.TryGetValue(key, out var w) && now - w.Start < Window ? (w.Start, w.Count + 1) : (now, 1);
        }
    }

    /// <summary>How long <paramref name="client"/> must wait before its next attempt counts; zero when it may try now.</summary>
    public TimeSpan Blocked(IPAddress? client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
            return _clients.TryGetValue(Key(client), out var w) && w.Count >= Limit && now - w.Start < Window ? w.Start + Window - now : TimeSpan.Zero;
    }

    private static IPAddress Key(IPAddress? client)
    {
        if (client is null) return IPAddress.None;
        if (client.IsIPv4MappedToIPv6) return client.MapToIPv4();
        if (client.AddressFamily != AddressFamily.InterNetworkV6) return client;
        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
