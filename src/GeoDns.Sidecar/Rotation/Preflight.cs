namespace GeoDns.Sidecar.Rotation;

/// <summary>
/// What must hold before the sidecar buys a VPS: the hooks exist, and every nameserver answers
/// and accepts the token. A VPS bought when the new edge could never be added costs money and
/// does nothing.
/// </summary>
public static class Preflight
{
    public static async Task<Outcome> CheckAsync(SidecarSession session, CancellationToken cancel)
    {
        if (session.RotationProblem is { } config) return Outcome.Failed($"preflight: {config}");
        if (session.Options.Hooks.Problem() is { } hooks) return Outcome.Failed($"preflight: {hooks}");
        var nameservers = await session.Nameservers.PreflightAsync(cancel);
        return nameservers.Ok ? Outcome.Success : Outcome.Failed($"preflight: {nameservers.Error}", retryable: true);
    }
}
