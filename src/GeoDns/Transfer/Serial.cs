using System.Buffers.Binary;
using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>SOA serial arithmetic (RFC 1982) and the serial scheme of served zones.</summary>
public static class Serial
{
    /// <summary>True when <paramref name="a"/> is newer than <paramref name="b"/> (RFC 1982 §3.2).</summary>
    public static bool Newer(uint a, uint b) => a != b && (int)(a - b) > 0;

    /// <summary>
    /// The serial after <paramref name="previous"/>: the greatest of previous + 1, the zone file's serial and the
    /// current Unix time, so it always moves forward, follows a date-style file serial, and survives restarts
    /// (the previous one is journaled).
    /// </summary>
    public static uint Next(uint previous, uint file, DateTimeOffset now)
    {
        var next = previous + 1;
        if (Newer(file, next)) next = file;
        var unix = (uint)now.ToUnixTimeSeconds();
        if (Newer(unix, next)) next = unix;
        return next == 0 ? 1 : next;
    }

    /// <summary>The serial of an SOA record (the first number after its two names).</summary>
    public static uint Of(ResourceRecord soa) => BinaryPrimitives.ReadUInt32BigEndian(soa.Data.AsSpan(SerialOffset(soa.Data)));

    /// <summary>A copy of <paramref name="soa"/> carrying <paramref name="serial"/>.</summary>
    public static ResourceRecord With(ResourceRecord soa, uint serial)
    {
        var data = soa.Data.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(SerialOffset(data)), serial);
        return soa with { Data = data };
    }

    private static int SerialOffset(byte[] data) => RdataNames.Skip(data, RdataNames.Skip(data, 0));
}
