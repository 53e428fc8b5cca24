namespace GeoDns.Server.Admin;

/// <summary>The admin endpoint itself, on <c>/healthz</c>: where it listens and what binding it has cost (see <see cref="AdminBinding"/>).</summary>
public sealed record AdminListenerView(Uri? Listening, int BindFailures, string? LastBindError)
{
    public static AdminListenerView Of(AdminBinding binding) => new(binding.Listening, binding.Failures, binding.LastError);
}
