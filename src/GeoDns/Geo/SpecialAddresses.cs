namespace GeoDns.Geo;

/// <summary>
/// Addresses that say nothing about where a client is (RFC 6890: private, loopback, link-local,
/// shared, multicast). Free databases sometimes place them anyway; we never do.
/// </summary>
internal static class SpecialAddresses
{
    /// <summary>The prefix length of the special range holding <paramref name="address"/>, or -1 for an ordinary address.</summary>
    public static int Prefix(ReadOnlySpan<byte> address)
    {
        if (address.Length == 4)
        {
            var (a, b) = (address[0], address[1]);
            if (a is 0 or 10 or 127) return 8;
            if (a == 100 && (b & 0xC0) == 64) return 10;
            if (a == 169 && b == 254) return 16;
            if (a == 172 && (b & 0xF0) == 16) return 12;
            if (a == 192 && b == 168) return 16;
            return a >= 224 ? 4 : -1;
        }
        if (address[..15].IndexOfAnyExcept((byte)0) < 0) return 128; // :: and ::1
        if ((address[0] & 0xFE) == 0xFC) return 7;
        if (address[0] == 0xFE && (address[1] & 0xC0) == 0x80) return 10;
        return address[0] == 0xFF ? 8 : -1;
    }
}
