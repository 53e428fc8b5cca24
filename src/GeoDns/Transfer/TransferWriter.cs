using System.Buffers.Binary;
using GeoDns.Protocol;

namespace GeoDns.Transfer;

/// <summary>
/// Renders transfer replies as a sequence of messages, each below <see cref="MessageBudget"/> bytes so a TSIG
/// fits after it: AXFR (RFC 5936 §2.2: SOA, every other record, SOA) and IXFR (RFC 1995 §4: the current SOA,
/// then per step the old SOA, its removals, the new SOA, its additions, and the current SOA again).
/// </summary>
public static class TransferWriter
{
    public const int MessageBudget = 16 * 1024;

    public static IEnumerable<byte[]> Axfr(MessageReader request, ZoneVersion version) =>
        Messages(request, [version.Soa, .. version.Records, version.Soa]);

    public static IEnumerable<byte[]> Ixfr(MessageReader request, ZoneVersion version, IReadOnlyList<ZoneDelta> steps) =>
        Messages(request, [version.Soa, .. steps.SelectMany(s => (IEnumerable<ResourceRecord>)[s.FromSoa, .. s.Removed, s.ToSoa, .. s.Added]), version.Soa]);

    /// <summary>RFC 1995 §2: the client is current (or the reply cannot go over UDP): just our SOA.</summary>
    public static IEnumerable<byte[]> SoaOnly(MessageReader request, ZoneVersion version) => Messages(request, [version.Soa]);

    /// <summary>A reply with no records and <paramref name="rcode"/>, echoing the question (RFC 5936 §2.2.1).</summary>
    public static byte[] Error(MessageReader request, byte rcode, bool authoritative = false)
    {
        var writer = new MessageWriter(request.QuestionName, request.QuestionType, positionIndependent: false);
        var message = writer.ToArray();
        Header(message, request, rcode, authoritative, 0);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(Query.HeaderLength + request.QuestionName.Wire.Length + 2), request.QuestionClass);
        return message;
    }

    private static IEnumerable<byte[]> Messages(MessageReader request, IReadOnlyList<ResourceRecord> records)
    {
        var writer = new MessageWriter(request.QuestionName, request.QuestionType, positionIndependent: false);
        ushort count = 0;
        foreach (var r in records)
        {
            if (count > 0 && writer.Length + r.Data.Length + r.Owner.Wire.Length + 10 > MessageBudget)
            {
                yield return Finish(writer, request, count);
                writer = new MessageWriter(request.QuestionName, request.QuestionType, positionIndependent: false);
                count = 0;
            }
            writer.WriteRecord(r.Owner, r.Type, r.Ttl, r.Data);
            count++;
        }
        yield return Finish(writer, request, count);
    }

    private static byte[] Finish(MessageWriter writer, MessageReader request, ushort answers)
    {
        var message = writer.ToArray();
        Header(message, request, 0, authoritative: true, answers);
        return message;
    }

    private static void Header(byte[] message, MessageReader request, byte rcode, bool authoritative, ushort answers)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message, request.Id);
        // QR, the request's opcode, AA for our own zones; RD echoed (RFC 1035 §4.1.1).
        message[2] = (byte)(0x80 | (request.Opcode << 3) | (authoritative ? 0x04 : 0) | ((request.Flags >> 8) & 0x01));
        message[3] = rcode;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), answers);
    }
}
