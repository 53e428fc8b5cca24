using System.Net;
using System.Net.Sockets;

namespace GeoDns.Zones;

/// <summary>
/// IP addresses as written in A, AAAA and SVCB hints. IPv4 must be four dotted decimals
/// (RFC 1035 §3.4.1); <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone would also take "10.1" or "0x7f.1".
/// </summary>
internal static class AddressText
{
    public static byte[] V4(string text, string what)
    {
        var parts = text.Split('.');
        if (parts.Length != 4 || !parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p) <= 255))
            throw new FormatException($"{what} '{text}' is not an IPv4 address");
        return [.. parts.Select(byte.Parse)];
    }

    public static byte[] V6(string text, string what)
    {
        if (!text.Contains(':') || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new FormatException($"{what} '{text}' is not an IPv6 address");
        return address.GetAddressBytes();
    }
}
