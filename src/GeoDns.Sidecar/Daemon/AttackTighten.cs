namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>attack.tighten</c>: what the <c>tighten</c> policy asks of a flooded edge through <c>hooks.tighten</c>, and when it
/// gives up on it. The reference hooks ban the sources in an nftables set on the edge and switch on its stricter nginx
/// limits, both for <see cref="BanFor"/> (deploy/edge/README.md, "Tightening under a flood").
/// </summary>
public sealed class AttackTighten
{
    /// <summary>How long a source stays banned and the stricter limits stay on; each run while the flood holds starts it again.</summary>
    public TimeSpan BanFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The least a source must average over the flood's window, in requests per second (connections in passthrough mode),
    /// to be banned: no person's browser keeps that up for <c>attack.sustain</c>, a flood's source does.
    /// </summary>
    public double MinRate { get; set; } = 10;

    /// <summary>
    /// How long the flood may go on after the edge was first tightened before it is rotated anyway (within the budget): the
    /// flood comes from too many sources to ban, or fills the uplink before nginx sees it. Zero: never rotated for it.
    /// </summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>ISO 3166 codes the edge blocks too while tightened (the hook's ATTACK_COUNTRIES); empty: none.</summary>
    public List<string> Countries { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        if (BanFor < TimeSpan.FromMinutes(1) || BanFor > TimeSpan.FromDays(1)) yield return $"attack.tighten.banFor: {BanFor} must be 1 min to 24 h";
        if (!(MinRate > 0) || double.IsInfinity(MinRate)) yield return $"attack.tighten.minRate: {MinRate} must be above 0";
        if (EscalateAfter < TimeSpan.Zero || EscalateAfter > TimeSpan.FromDays(1)) yield return $"attack.tighten.escalateAfter: {EscalateAfter} must be 0 (never) to 24 h";
        foreach (var code in Countries.Where(c => c.Length != 2 || !c.All(char.IsAsciiLetter)))
            yield return $"attack.tighten.countries: '{code}' is not an ISO 3166 code such as CN";
    }
}
