using System.Buffers.Binary;
using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>The OPT record of a reply (RFC 6891): our payload size, the extended RCODE, DO, and the ECS and COOKIE options we echo.</summary>
internal static class OptRecord
{
    private const int FixedLength = 11;

    /// <summary>COOKIE data in a reply: the client cookie (8) and our server cookie (16, RFC 9018).</summary>
    public const int CookieReplyLength = 24;

    public static int Size(in Query q, in OptExtras extras) =>
        !q.HasOpt ? 0 : FixedLength + (q.HasEcs ? 8 + EcsAddressLength(q) : 0) + (extras.Cookie.Length > 0 ? 4 + extras.Cookie.Length : 0) + (extras.Keepalive > 0 ? 6 : 0);

    public static int Write(Span<byte> reply, in Query q, byte extendedRcode, byte ecsScope, in OptExtras extras)
    {
        var cookie = extras.Cookie;
        reply[0] = 0; // owner: root
        BinaryPrimitives.WriteUInt16BigEndian(reply[1..], DnsType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(reply[3..], Responder.MaxUdpPayload);
        reply[5] = extendedRcode;
        reply[6] = 0; // version 0, the only one we speak
        reply[7] = (byte)(q.DnssecOk ? 0x80 : 0); // RFC 3225 §3: DO is copied into the reply
        reply[8] = 0;
        var length = FixedLength;
        if (q.HasEcs)
        {
            // RFC 7871 §7.2.1: echo family, source prefix and address; the scope is ours to set.
            var addressLength = EcsAddressLength(q);
            BinaryPrimitives.WriteUInt16BigEndian(reply[length..], QueryParser.EcsOption);
            BinaryPrimitives.WriteUInt16BigEndian(reply[(length + 2)..], (ushort)(4 + addressLength));
            BinaryPrimitives.WriteUInt16BigEndian(reply[(length + 4)..], q.EcsFamily);
            reply[length + 6] = q.EcsSourcePrefix;
            reply[length + 7] = q.EcsSourcePrefix == 0 ? (byte)0 : ecsScope;
            ((ReadOnlySpan<byte>)q.EcsAddress)[..addressLength].CopyTo(reply[(length + 8)..]);
            length += 8 + addressLength;
        }
        if (cookie.Length > 0)
        {
            // RFC 7873 §5.2: the client cookie sent, then our server cookie.
            BinaryPrimitives.WriteUInt16BigEndian(reply[length..], QueryParser.CookieOption);
            BinaryPrimitives.WriteUInt16BigEndian(reply[(length + 2)..], (ushort)cookie.Length);
            cookie.CopyTo(reply[(length + 4)..]);
            length += 4 + cookie.Length;
        }
        if (extras.Keepalive > 0)
        {
            // RFC 7828 §3.3.2: TIMEOUT, in units of 100 ms: how long we keep an idle connection open.
            BinaryPrimitives.WriteUInt16BigEndian(reply[length..], QueryParser.KeepaliveOption);
            BinaryPrimitives.WriteUInt16BigEndian(reply[(length + 2)..], 2);
            BinaryPrimitives.WriteUInt16BigEndian(reply[(length + 4)..], extras.Keepalive);
            length += 6;
        }
        BinaryPrimitives.WriteUInt16BigEndian(reply[9..], (ushort)(length - FixedLength));
        return length;
    }

    private static int EcsAddressLength(in Query q) => (q.EcsSourcePrefix + 7) / 8;
}
