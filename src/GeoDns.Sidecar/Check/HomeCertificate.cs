using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GeoDns.Sidecar.Check;

/// <summary>The home's certificate (<c>nginx.certificateDir/fullchain.pem</c>, the first certificate: the site's own), or why it cannot be read.</summary>
public sealed record HomeCertificate(string Path, string? Subject, DateTimeOffset? NotAfter, string? Error)
{
    public int? DaysLeft(DateTimeOffset now) => NotAfter is { } end ? (int)Math.Floor((end - now).TotalDays) : null;

    public bool Expired(DateTimeOffset now) => NotAfter is { } end && end < now;

    /// <summary>Null when <paramref name="directory"/> is not set.</summary>
    public static HomeCertificate? Read(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) return null;
        var path = System.IO.Path.Combine(directory, "fullchain.pem");
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return new HomeCertificate(path, certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false), certificate.NotAfter.ToUniversalTime(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return new HomeCertificate(path, null, null, e.Message);
        }
    }
}
