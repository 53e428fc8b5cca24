using GeoDns.Tsig;

namespace GeoDns.Transfer;

/// <summary>Signs the exchange's replies as their requests were signed (RFC 8945); unsigned requests get unsigned replies.</summary>
internal static class ReplySigning
{
    public static byte[] Sign(byte[] reply, TsigCheck tsig, DateTimeOffset now) =>
        tsig.Status == TsigStatus.Unsigned ? reply : TsigSigner.Sign(reply, tsig, now).Message;

    /// <summary>RFC 8945 §5.3.1: every message of a multi-message reply is signed, each chained to the one before.</summary>
    public static IEnumerable<byte[]> SignAll(IEnumerable<byte[]> messages, TsigCheck tsig, DateTimeOffset now)
    {
        byte[]? prior = null;
        foreach (var message in messages)
        {
            if (tsig.Status == TsigStatus.Unsigned) { yield return message; continue; }
            var (signed, mac) = TsigSigner.Sign(message, tsig, now, prior);
            prior = mac;
            yield return signed;
        }
    }
}
