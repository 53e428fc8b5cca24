using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Health;

/// <summary>The real probes, one of each, chosen by <see cref="ProbeSettings.Type"/>.</summary>
public sealed class ProbeCatalog(TimeProvider time, X509Certificate2Collection? trustedRoots = null)
{
    private readonly TcpConnectProbe _tcp = new(time);
    private readonly HttpsProbe _https = new(time, trustedRoots);

    /// <summary>The probe for <paramref name="settings"/>; an unknown type is a configuration bug the loader should have rejected.</summary>
    public IProbe For(ProbeSettings settings) => settings.Type.ToLowerInvariant() switch
    {
        "tcp" => _tcp,
        "https" => _https,
        _ => throw new NotSupportedException($"unknown probe type '{settings.Type}'"),
    };
}
