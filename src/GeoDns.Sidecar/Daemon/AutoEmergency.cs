using Microsoft.Extensions.Logging;

namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// Part of <c>run</c>: <c>attack.autoEmergency</c>. When every serving edge has an attack verdict, no edge is left to
/// answer well, so the pool's emergency switch is turned on on every nameserver, with <see cref="Reason"/>. It is turned
/// off again once no edge has had a verdict for <c>attack.autoEmergencyOffAfter</c>, but only a switch turned on so (its
/// reason says it): one turned on by hand is the operator's to end.
/// </summary>
public sealed class AutoEmergency(SidecarSession session, ILogger log)
{
    public const string Reason = "automatic: every edge under attack (attack.autoEmergency)";

    private DateTimeOffset? _calmSince;

    public async Task StepAsync(FleetSnapshot fleet, CancellationToken cancel)
    {
        var options = session.Options.Attack;
        if (!options.AutoEmergency || string.IsNullOrWhiteSpace(session.Options.Pool)) return;
        var serving = fleet.Edges.Where(e => e.Role == nameof(State.EdgeRole.Serving)).ToList();
        var switches = fleet.Nameservers.Select(n => n.Emergency).OfType<Contracts.EmergencyView>().ToList();
        if (serving.Count > 0 && serving.All(e => fleet.AttackOn(e.Name) is not null))
        {
            _calmSince = null;
            // A nameserver that did not answer is asked at the next poll that reaches it.
            if (switches.Any(s => !s.On)) await SetAsync(true, $"every serving edge is under attack ({string.Join(", ", serving.Select(e => e.Name))})", cancel);
            return;
        }
        if (fleet.Attacks.Count > 0)
        {
            _calmSince = null;
            return;
        }
        _calmSince ??= fleet.At;
        if (fleet.At - _calmSince >= options.AutoEmergencyOffAfter && switches.Any(s => s.On && s.Reason == Reason))
            await SetAsync(false, $"no edge under attack for {options.AutoEmergencyOffAfter}", cancel);
    }

    private async Task SetAsync(bool on, string why, CancellationToken cancel)
    {
        var pool = session.Options.Pool.Trim().TrimEnd('.');
        log.LogWarning("Emergency answer for {Pool} {Turned} by attack.autoEmergency: {Why}", pool, on ? "turned on" : "turned off", why);
        foreach (var (ns, outcome) in await session.Nameservers.SetEmergencyAsync(pool, on, on ? Reason : null, cancel))
            if (!outcome.Ok) log.LogWarning("Emergency answer for {Pool} not switched on {Nameserver}: {Error}", pool, ns, outcome.Error);
    }
}
