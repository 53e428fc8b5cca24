using System.Security.Cryptography;
using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>A shared TSIG secret. <see cref="ToString"/> names the key, never the secret: keys are never logged.</summary>
public sealed class TsigKey(DnsName name, TsigAlgorithm algorithm, byte[] secret)
{
    public DnsName Name { get; } = name;
    public TsigAlgorithm Algorithm { get; } = algorithm;

    /// <summary>The algorithm as it travels in the TSIG RDATA (RFC 8945 §6).</summary>
    public DnsName AlgorithmName => DnsName.Parse(Algorithm == TsigAlgorithm.HmacSha256 ? "hmac-sha256" : "hmac-sha512");

    public int MacSize => Algorithm == TsigAlgorithm.HmacSha256 ? 32 : 64;

    public byte[] Mac(ReadOnlySpan<byte> data) =>
        Algorithm == TsigAlgorithm.HmacSha256 ? HMACSHA256.HashData(secret, data) : HMACSHA512.HashData(secret, data);

    public static TsigAlgorithm? ParseAlgorithm(string name) => name.TrimEnd('.').ToLowerInvariant() switch
    {
        "hmac-sha256" => TsigAlgorithm.HmacSha256,
        "hmac-sha512" => TsigAlgorithm.HmacSha512,
        _ => null,
    };

    public override string ToString() => $"{Name} ({AlgorithmName})";
}
