using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Health;

/// <summary>
/// The certificate validation of one HTTPS probe: it records what the edge presented (days to
/// expiry, the policy errors), so a failed handshake can say why, and trusts the extra roots on
/// top of the system store (edges may carry certificates from a private CA).
/// </summary>
internal sealed class CertificateCheck(TimeProvider time, X509Certificate2Collection? trustedRoots, bool allowInvalid)
{
    public int? DaysLeft { get; private set; }

    /// <summary>What is wrong with the certificate, e.g. "certificate: RemoteCertificateNameMismatch"; null if nothing.</summary>
    public string? Problem { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var chainStatus = chain?.ChainStatus.Select(s => s.Status).ToArray() ?? [];
        if (certificate is X509Certificate2 presented)
        {
            DaysLeft = (int)Math.Floor((presented.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime).TotalDays);
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && trustedRoots is { Count: > 0 })
                chainStatus = TrustExtraRoots(presented, chain, ref errors) ?? chainStatus;
        }
        if (errors == SslPolicyErrors.None) return true;
        Problem = $"certificate: {errors}";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chainStatus.Length > 0)
            Problem += $" ({string.Join(", ", chainStatus.Distinct())})";
        return allowInvalid;
    }

    /// <summary>Clears the chain error if the certificate chains to an extra root; otherwise returns why it does not.</summary>
    private X509ChainStatusFlags[]? TrustExtraRoots(X509Certificate2 presented, X509Chain? chain, ref SslPolicyErrors errors)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedRoots!);
        // Private CAs rarely publish revocation lists; an unreachable CRL must not fail the probe.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (custom.Build(presented))
        {
            errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
            return null;
        }
        // Say why the custom chain failed (e.g. NotTimeValid), not the system store's UntrustedRoot.
        return custom.ChainStatus.Select(s => s.Status).ToArray();
    }
}
