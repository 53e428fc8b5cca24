using NSec.Cryptography;

namespace GeoDns.Sidecar.WireGuard;

/// <summary>
/// A WireGuard (X25519) key pair, each key as WireGuard writes it: base64 of the raw 32 bytes.
/// <see cref="ToString"/> leaves the private key out, so a key pair in a log line leaks nothing.
/// </summary>
public sealed record KeyPair(string PrivateKey, string PublicKey)
{
    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;

    /// <summary>A fresh pair from <c>wg genkey</c>/<c>wg pubkey</c> when installed, else from libsodium (NSec): same keys either way.</summary>
    public static KeyPair Generate(WgTool? wg = null) => (wg ?? WgTool.Find())?.TryGenerate() ?? GenerateWithNSec();

    public static KeyPair GenerateWithNSec()
    {
        var secret = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(secret);
        // Clamped as `wg genkey` does, so a key from either source looks the same on disk.
        secret[0] &= 248;
        secret[31] = (byte)((secret[31] & 127) | 64);
        return FromPrivateKey(Convert.ToBase64String(secret));
    }

    /// <summary>Derives the public key, as <c>wg pubkey</c> does.</summary>
    /// <exception cref="FormatException">Not base64 of 32 bytes.</exception>
    public static KeyPair FromPrivateKey(string privateKey)
    {
        var raw = Decode(privateKey) ?? throw new FormatException("a WireGuard private key is base64 of 32 bytes");
        using var key = Key.Import(X25519, raw, KeyBlobFormat.RawPrivateKey);
        return new KeyPair(privateKey, Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    /// <summary>True for base64 of exactly 32 bytes, the only shape WireGuard accepts.</summary>
    public static bool IsValidKey(string? text) => Decode(text) is not null;

    private static byte[]? Decode(string? text)
    {
        if (text is not { Length: 44 }) return null;
        var raw = new byte[33];
        return Convert.TryFromBase64String(text, raw, out var written) && written == 32 ? raw[..32] : null;
    }

    public override string ToString() => $"KeyPair {{ PublicKey = {PublicKey} }}";
}
