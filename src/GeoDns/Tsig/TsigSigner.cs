using System.Buffers.Binary;
using System.Security.Cryptography;
using GeoDns.Protocol;

namespace GeoDns.Tsig;

/// <summary>
/// TSIG (RFC 8945): verifies a signed request and signs replies. The MAC covers the message without
/// its TSIG RR (original ID restored, ARCOUNT one less) followed by the TSIG variables (§4.3.3); a
/// reply's MAC starts with the request's MAC (§4.3.2). Off the query path: it allocates freely.
/// </summary>
public static class TsigSigner
{
    public const ushort Type = 250;
    public const ushort ClassAny = 255;
    /// <summary>RFC 8945 §10: 300 s is the recommended fudge. It is also the most we allow a request (see <see cref="Verify"/>).</summary>
    public const ushort Fudge = 300;

    /// <summary>
    /// Checks a request's TSIG. With <paramref name="replays"/> (for UPDATE and NOTIFY, which change state) a valid MAC
    /// seen before within its window fails as BADTIME, as a forged time would: the message is as stale as one signed too long ago.
    /// </summary>
    public static TsigCheck Verify(ReadOnlySpan<byte> message, MessageReader read, TsigKeyRing keys, DateTimeOffset now, ReplayWindow? replays = null)
    {
        var all = read.Answers.Concat(read.Authorities).Concat(read.Additionals).ToList();
        var index = all.FindIndex(r => r.Type == Type);
        if (index < 0) return TsigCheck.Unsigned;
        // §5.1: the TSIG RR must be the last record of the additional section, and the only one.
        if (index != all.Count - 1 || read.Additionals.Count == 0) return TsigCheck.Malformed;
        var tsig = all[^1];
        if (tsig.Class != ClassAny || tsig.Ttl != 0 || TsigRecord.Parse(tsig) is not { } fields) return TsigCheck.Malformed;
        var (algorithm, timeSigned, fudge, mac, originalId) = (fields.Algorithm, fields.TimeSigned, fields.Fudge, fields.Mac, fields.OriginalId);
        var macSize = mac.Length;

        TsigCheck Fail(ushort error, TsigKey? key = null) => new(TsigStatus.Failed, error, key, tsig.Owner, algorithm, error == Rcode.BadTime ? mac : [], timeSigned, fudge);
        // §5.2.1: an unknown key or algorithm is BADKEY.
        if (keys.Find(tsig.Owner) is not { } key || key.AlgorithmName != algorithm) return Fail(Rcode.BadKey);
        // §5.2.2.1: we accept only untruncated MACs; a longer one is malformed.
        if (macSize > key.MacSize) return TsigCheck.Malformed;
        if (macSize < key.MacSize) return Fail(Rcode.BadTrunc, key);
        var signed = new List<byte>(message.Length + 128);
        AppendUnsigned(signed, message[..tsig.Start], originalId, withoutTsig: true);
        AppendVariables(signed, tsig.Owner, algorithm, timeSigned, fudge, 0, []);
        if (!CryptographicOperations.FixedTimeEquals(key.Mac(signed.ToArray()), mac)) return Fail(Rcode.BadSig);
        // §5.2.3: the time check comes after the MAC, so that a forged request learns nothing.
        // The fudge is the signer's to choose, but a large one (up to 18 hours) would keep a captured message valid
        // that long: §10 recommends 300 s, and we check against at most that, so a client with a set clock passes
        // whatever fudge it sends, while a stale message fails as if it had sent 300 (rather than BADTIME for every
        // large fudge, which would refuse honest clients for a number they never needed). It also bounds how long
        // the replay window must remember a MAC.
        var window = Math.Min(fudge, Fudge);
        var seconds = (ulong)now.ToUnixTimeSeconds();
        if ((seconds > timeSigned ? seconds - timeSigned : timeSigned - seconds) > window) return Fail(Rcode.BadTime, key);
        if (replays is not null && !replays.Admit(mac, timeSigned + window, seconds)) return Fail(Rcode.BadTime, key);
        return new TsigCheck(TsigStatus.Valid, 0, key, tsig.Owner, algorithm, mac, timeSigned, fudge);
    }

    /// <summary>
    /// Appends a TSIG RR to <paramref name="reply"/> (a complete message) for the request checked in
    /// <paramref name="request"/>. BADKEY, BADSIG and BADTRUNC replies carry an empty MAC (§5.2.1, §5.2.2);
    /// BADTIME is signed and tells the client our time (§5.2.3). Returns the reply and the MAC it carries.
    /// </summary>
    public static (byte[] Message, byte[] Mac) Sign(ReadOnlySpan<byte> reply, TsigCheck request, DateTimeOffset now, byte[]? priorMac = null)
    {
        var now48 = (ulong)now.ToUnixTimeSeconds();
        byte[] other = [];
        var time = now48;
        if (request.Error == Rcode.BadTime)
        {
            // §5.2.3: the client's time stays in Time Signed; ours goes in Other Data.
            other = new byte[6];
            Write48(other, now48);
            time = request.TimeSigned;
        }
        byte[] mac = [];
        if (request.Key is { } key && request.Error is Rcode.NoError or Rcode.BadTime)
        {
            var signed = new List<byte>(reply.Length + 160);
            if (priorMac is null)
            {
                AppendMac(signed, request.RequestMac);
                AppendUnsigned(signed, reply, BinaryPrimitives.ReadUInt16BigEndian(reply));
                AppendVariables(signed, request.KeyName, request.AlgorithmName, time, Fudge, request.Error, other);
            }
            else
            {
                // §5.3.1: later messages of a multi-message reply sign the prior MAC, the message and the timers only.
                AppendMac(signed, priorMac);
                AppendUnsigned(signed, reply, BinaryPrimitives.ReadUInt16BigEndian(reply));
                AppendTimers(signed, time, Fudge);
            }
            mac = key.Mac(signed.ToArray());
        }
        var output = new List<byte>(reply.Length + 160);
        output.AddRange(reply);
        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(reply[10..]) + 1));
        output.AddRange(request.KeyName.Wire);
        AppendUInt16(output, Type);
        AppendUInt16(output, ClassAny);
        AppendUInt32(output, 0);
        var rdata = new List<byte>(request.AlgorithmName.Wire.Length + 16 + mac.Length + other.Length);
        rdata.AddRange(request.AlgorithmName.Wire);
        AppendTimers(rdata, time, Fudge);
        AppendMac(rdata, mac);
        AppendUInt16(rdata, BinaryPrimitives.ReadUInt16BigEndian(reply));
        AppendUInt16(rdata, request.Error);
        AppendMac(rdata, other);
        AppendUInt16(output, (ushort)rdata.Count);
        output.AddRange(rdata);
        return ([.. output], mac);
    }

    /// <summary>Signs a request of ours (NOTIFY, SOA, IXFR/AXFR) with <paramref name="key"/>; returns it and its MAC.
    /// <paramref name="fudge"/> is ours to choose: 300 s as recommended, unless a test needs another.</summary>
    public static (byte[] Message, byte[] Mac) SignRequest(ReadOnlySpan<byte> message, TsigKey key, DateTimeOffset now, ushort fudge = Fudge)
    {
        var time = (ulong)now.ToUnixTimeSeconds();
        var signed = new List<byte>(message.Length + 128);
        AppendUnsigned(signed, message, BinaryPrimitives.ReadUInt16BigEndian(message));
        AppendVariables(signed, key.Name, key.AlgorithmName, time, fudge, 0, []);
        var mac = key.Mac(signed.ToArray());
        var output = new List<byte>(message.Length + 128);
        output.AddRange(message);
        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(message[10..]) + 1));
        output.AddRange(key.Name.Wire);
        AppendUInt16(output, Type);
        AppendUInt16(output, ClassAny);
        AppendUInt32(output, 0);
        var rdataLength = key.AlgorithmName.Wire.Length + 8 + 2 + mac.Length + 6;
        AppendUInt16(output, (ushort)rdataLength);
        output.AddRange(key.AlgorithmName.Wire);
        AppendTimers(output, time, fudge);
        AppendMac(output, mac);
        AppendUInt16(output, BinaryPrimitives.ReadUInt16BigEndian(message));
        AppendUInt16(output, 0);
        AppendUInt16(output, 0);
        return ([.. output], mac);
    }

    /// <summary>Checks a reply to a request of ours that carried <paramref name="requestMac"/>; priorMac for later messages of a stream.</summary>
    public static bool VerifyReply(ReadOnlySpan<byte> message, MessageReader read, TsigKey key, byte[] requestMac, DateTimeOffset now, out byte[] mac, bool subsequent = false)
    {
        mac = [];
        if (read.Additionals.Count == 0 || read.Additionals[^1] is not { Type: Type } tsig || tsig.Owner != key.Name) return false;
        if (TsigRecord.Parse(tsig) is not { } fields || fields.Algorithm != key.AlgorithmName || fields.Mac.Length != key.MacSize) return false;
        var (algorithm, time, fudge, sent, originalId, error, other) = (fields.Algorithm, fields.TimeSigned, fields.Fudge, fields.Mac, fields.OriginalId, fields.Error, fields.Other);
        var signed = new List<byte>(message.Length + 160);
        AppendMac(signed, requestMac);
        AppendUnsigned(signed, message[..tsig.Start], originalId, withoutTsig: true);
        if (subsequent) AppendTimers(signed, time, fudge);
        else AppendVariables(signed, key.Name, algorithm, time, fudge, error, other);
        if (error != 0 || !CryptographicOperations.FixedTimeEquals(key.Mac(signed.ToArray()), sent)) return false;
        var seconds = (ulong)now.ToUnixTimeSeconds();
        mac = sent;
        return (seconds > time ? seconds - time : time - seconds) <= fudge;
    }

    /// <summary>The message bytes up to its TSIG RR, with ARCOUNT one less (when a TSIG was there) and the original ID.</summary>
    private static void AppendUnsigned(List<byte> output, ReadOnlySpan<byte> message, ushort originalId, bool withoutTsig = false)
    {
        var start = output.Count;
        output.AddRange(message);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[start..];
        BinaryPrimitives.WriteUInt16BigEndian(span, originalId);
        if (withoutTsig) BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(span[10..]) - 1));
    }

    /// <summary>Called on the bytes before a TSIG RR: the ARCOUNT still counts it, so take one off.</summary>
    public static byte[] WithoutTsig(ReadOnlySpan<byte> message, WireRecord tsig)
    {
        var copy = message[..tsig.Start].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(10)) - 1));
        return copy;
    }

    private static void AppendVariables(List<byte> output, DnsName keyName, DnsName algorithm, ulong time, ushort fudge, ushort error, byte[] other)
    {
        output.AddRange(keyName.Wire);
        AppendUInt16(output, ClassAny);
        AppendUInt32(output, 0);
        output.AddRange(algorithm.Wire);
        AppendTimers(output, time, fudge);
        AppendUInt16(output, error);
        AppendMac(output, other);
    }

    private static void AppendTimers(List<byte> output, ulong time, ushort fudge)
    {
        Span<byte> six = stackalloc byte[6];
        Write48(six, time);
        output.AddRange(six);
        AppendUInt16(output, fudge);
    }

    private static void AppendMac(List<byte> output, byte[] mac)
    {
        AppendUInt16(output, (ushort)mac.Length);
        output.AddRange(mac);
    }

    private static void Write48(Span<byte> target, ulong value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(target, (ushort)(value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(target[2..], (uint)value);
    }

    private static void AppendUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }

    private static void AppendUInt32(List<byte> output, uint value)
    {
        AppendUInt16(output, (ushort)(value >> 16));
        AppendUInt16(output, (ushort)value);
    }
}
