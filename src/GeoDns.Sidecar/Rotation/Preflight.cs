using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// What must hold before the sidecar buys a VPS: the hooks exist, the provider buys in the replaced edge's country
/// (hooks.countries, when set), and every nameserver answers and accepts the token. A VPS bought when the new edge
/// could never be added costs money and does nothing.
/// </summary>
public static class Preflight
{
    /// <param name="replaced">The edge a rotation replaces (its country is bought in), or null for bootstrap, which checks its countries first.</param>
    public static async Task<Outcome> CheckAsync(SidecarSession session, CancellationToken cancel, EdgeHost? replaced = null)
    {
        if (session.RotationProblem is { } config) return Outcome.Failed($"preflight: {config}");
        if (session.Options.Hooks.Problem() is { } hooks) return Outcome.Failed($"preflight: {hooks}");
        if (replaced is not null)
        {
            var countries = await CountryCheck.CheckAsync(session, CountryCheck.Rotation(session.Options, replaced), cancel);
            if (!countries.Ok) return Outcome.Failed($"preflight: {countries.Error}", countries.Retryable);
        }
        var nameservers = await session.Nameservers.PreflightAsync(cancel);
        return nameservers.Ok ? Outcome.Success : Outcome.Failed($"preflight: {nameservers.Error}", retryable: true);
    }
}
