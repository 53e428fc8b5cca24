using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>Turns a <see cref="Resolution"/> into wire bytes once, so queries only copy them.</summary>
public static class AnswerRenderer
{
    /// <summary>One writer per thread, reused: a table build renders every reply of every name, and the collector pays for each object it leaves behind.</summary>
    [ThreadStatic] private static MessageWriter? _writer;

    /// <param name="same">Returned instead of a new answer when the reply comes out identical to it (a build's "any other type").</param>
    /// <param name="arena">A table build's: its replies without answer records are shared by content, its bytes kept in chunks.</param>
    internal static PreparedAnswer Render(Resolution resolution, DnsName qname, ushort qtype, bool positionIndependent, PreparedAnswer? same = null,
        RenderArena? arena = null)
    {
        var writer = _writer ??= new MessageWriter(qname, qtype, positionIndependent);
        writer.Reset(qname, qtype, positionIndependent);
        ZoneSerial? serial = null;
        var serialAt = 0;
        var answers = Write(writer, resolution.Answer, ref serial, ref serialAt);
        var authorities = Write(writer, resolution.Authority, ref serial, ref serialAt);
        var withoutAdditional = writer.Length - writer.QuestionEnd;
        var additionals = Write(writer, resolution.Additional, ref serial, ref serialAt);
        if (same is not null && same.Matches(resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired, writer.TailSpan, serial))
            return same;
        var share = arena is not null && answers == 0;
        // Keyed by the bytes and the rcode; Matches compares every field, so a rare collision is only a reply not shared.
        var key = share ? AnswerTable.Hash(writer.TailSpan) ^ resolution.Rcode : 0;
        if (share && arena!.Shared(key) is { } known &&
            known.Matches(resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired, writer.TailSpan, serial))
            return known;
        var tail = arena is null ? writer.Tail() : arena.Copy(writer.TailSpan);
        var answer = new PreparedAnswer(tail, resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired)
        {
            Serial = serial,
            SerialAt = serialAt,
        };
        if (share) arena!.Share(key, answer);
        return answer;
    }

    /// <param name="serial">Set when the section carries a zone's SOA, with <paramref name="serialAt"/> where its serial sits in the tail.</param>
    private static ushort Write(MessageWriter writer, List<RRset> section, ref ZoneSerial? serial, ref int serialAt)
    {
        ushort count = 0;
        foreach (var set in section)
            for (var i = 0; i < set.Records.Count; i++) // by index: an interface's enumerator would be one more object per render
            {
                writer.WriteRecord(set.Owner, set.Type, set.Ttl, set.Records[i].Data);
                count++;
                // The serial is the first of the five numbers that end an SOA's RDATA (RFC 1035 §3.3.13), whatever its names compressed to.
                if (set.Serial is { } zone) (serial, serialAt) = (zone, writer.Length - writer.QuestionEnd - 20);
            }
        return count;
    }
}
