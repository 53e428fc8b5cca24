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
        // By hand, not Split and LINQ: a zone load reads one for every A record.
        var address = new byte[4];
        var part = 0;
        var digits = 0;
        var value = 0;
        foreach (var c in text)
        {
            if (c == '.' && digits > 0 && part < 3)
            {
                address[part++] = (byte)value;
                (digits, value) = (0, 0);
            }
            else if (char.IsAsciiDigit(c) && digits < 3 && (value = value * 10 + (c - '0')) <= 255) digits++;
            else throw NotV4(text, what);
        }
        if (part != 3 || digits == 0) throw NotV4(text, what);
        address[3] = (byte)value;
        return address;
    }

    private static FormatException NotV4(string text, string what) => new($"{what} '{text}' is not an IPv4 address");

    public static byte[] V6(string text, string what)
    {
        if (!text.Contains(':') || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new FormatException($"{what} '{text}' is not an IPv6 address");
        return address.GetAddressBytes();
    }
}
