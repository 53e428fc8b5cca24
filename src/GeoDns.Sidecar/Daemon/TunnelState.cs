namespace GeoDns.Sidecar.Daemon;

/// <summary>One tunnel as <see cref="TunnelWatch"/> judged it: stale (down) or fresh, and why, in words for the nameservers' views and logs.</summary>
public sealed record TunnelState(bool Stale, string Reason, DateTimeOffset? Handshake = null)
{
    /// <summary>
    /// The rule: stale once the latest handshake is more than <paramref name="staleAfter"/> old; a peer that never
    /// handshook (null) is given that long from <paramref name="watchedSince"/>, when the watch first saw it, so a
    /// home that just brought its interface up reports nothing before its peers had a chance.
    /// </summary>
    public static TunnelState Judge(DateTimeOffset? latestHandshake, DateTimeOffset watchedSince, DateTimeOffset now, TimeSpan staleAfter)
    {
        var limit = $"stale after {staleAfter.TotalSeconds:0} s";
        if (latestHandshake is not { } handshake)
        {
            var waited = now - watchedSince;
            return new TunnelState(waited > staleAfter, $"WireGuard: no handshake in the {waited.TotalSeconds:0} s watched ({limit})");
        }
        var age = now - handshake;
        return new TunnelState(age > staleAfter, $"WireGuard: latest handshake {Math.Max(0, age.TotalSeconds):0} s ago ({limit})", handshake);
    }
}
