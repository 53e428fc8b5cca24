using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Health;

/// <summary>
/// The certificate validation of one HTTPS probe: it records what the edge presented (days to
/// expiry, the policy errors), so a failed handshake can say why, and trusts the extra roots on
/// top of the system store (edges may carry certificates from a private CA). An expired
/// certificate is always refused: an edge serving one leaves the answers.
/// </summary>
internal sealed class CertificateCheck(TimeProvider time, X509Certificate2Collection? trustedRoots, bool allowInvalid)
{
    /// <summary>
    /// Days to expiry (negative once expired) of a certificate the probe accepted, or of an expired
    /// one; null for none, or for one rejected otherwise (an untrusted stand-in's days mean nothing).
    /// </summary>
    public int? DaysLeft { get; private set; }

    /// <summary>What is wrong with the certificate, e.g. "certificate: RemoteCertificateNameMismatch"; null if nothing.</summary>
    public string? Problem { get; private set; }

    /// <summary>The handshake was refused because of the certificate: <see cref="Problem"/> says why.</summary>
    public bool Rejected { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var chainStatus = chain?.ChainStatus.Select(s => s.Status).ToArray() ?? [];
        int? days = null;
        var expired = false;
        if (certificate is X509Certificate2 presented)
        {
            // Expiry on the injected clock, not only the chain's: it is what users' browsers will check.
            var notAfter = presented.NotAfter.ToUniversalTime();
            var now = time.GetUtcNow().UtcDateTime;
            days = (int)Math.Floor((notAfter - now).TotalDays);
            expired = notAfter <= now;
            if (expired) Problem = $"certificate: expired at {notAfter:yyyy-MM-dd HH:mm} UTC";
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && trustedRoots is { Count: > 0 })
                chainStatus = TrustExtraRoots(presented, chain, ref errors) ?? chainStatus;
        }
        if (errors != SslPolicyErrors.None && !expired)
        {
            Problem = $"certificate: {errors}";
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chainStatus.Length > 0)
                Problem += $" ({string.Join(", ", chainStatus.Distinct())})";
        }
        // An expired certificate fails even with allowInvalidCertificate: users would get a browser error.
        var accepted = !expired && (errors == SslPolicyErrors.None || allowInvalid);
        DaysLeft = accepted || expired ? days : null;
        Rejected = !accepted;
        return accepted;
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
