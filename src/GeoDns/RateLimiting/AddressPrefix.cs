using System.Net;
using System.Net.Sockets;

namespace GeoDns.RateLimiting;

/// <summary>An address prefix such as <c>192.0.2.0/24</c> or <c>2001:db8::/32</c>, matched against raw address bytes without allocating.</summary>
public sealed class AddressPrefix
{
    private readonly byte[] _bytes;

    private AddressPrefix(byte[] bytes, int length)
    {
        _bytes = bytes;
        Length = length;
    }

    /// <summary>Prefix length in bits.</summary>
    public int Length { get; }

    public static AddressPrefix? TryParse(string text, out string error)
    {
        error = "";
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            error = $"'{text}' is not an address prefix (e.g. 192.0.2.0/24 or 2001:db8::/32)";
            return null;
        }
        var bytes = address.GetAddressBytes();
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out length) || length < 0 || length > max))
        {
            error = $"'{text}': the prefix length must be 0 to {max}";
            return null;
        }
        return new AddressPrefix(bytes, length);
    }

    /// <summary>True when <paramref name="address"/> (4 or 16 bytes) lies in this prefix.</summary>
    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != _bytes.Length) return false;
        var whole = Length / 8;
        if (!address[..whole].SequenceEqual(_bytes.AsSpan(0, whole))) return false;
        var bits = Length % 8;
        if (bits == 0) return true;
        var mask = (byte)(0xFF << (8 - bits));
        return (address[whole] & mask) == (_bytes[whole] & mask);
    }

    public override string ToString() => $"{new IPAddress(_bytes)}/{Length}";
}
