using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Testing;

/// <summary>A throw-away private CA and the edge certificates it signs; ECDSA keys, so generating them is quick.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=GeoDns test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = Reload(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(365)));
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2Collection Roots => [Authority];

    /// <summary>A certificate for <paramref name="name"/> signed by <see cref="Authority"/>, valid from yesterday for <paramref name="validity"/>.</summary>
    public X509Certificate2 Issue(string name, TimeSpan validity, DateTimeOffset? notBefore = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(name, key);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        using var issued = request.Create(Authority, from, from + validity, RandomNumberGenerator.GetBytes(8));
        return Reload(issued.CopyWithPrivateKey(key));
    }

    /// <summary>A self-signed certificate for <paramref name="name"/>, valid from now for <paramref name="validity"/>.</summary>
    public static X509Certificate2 SelfSigned(string name, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Reload(Leaf(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow + validity));
    }

    /// <summary>Writes <paramref name="certificate"/> as PEM (as certbot leaves fullchain.pem), and its key as PKCS#8 PEM when a path is given.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string? keyPath = null)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        if (keyPath is null) return;
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public void Dispose() => Authority.Dispose();

    private static CertificateRequest Leaf(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        return request;
    }

    /// <summary>On Linux, SslStream needs the key in an importable form, not the ephemeral one CreateSelfSigned leaves.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate) return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
