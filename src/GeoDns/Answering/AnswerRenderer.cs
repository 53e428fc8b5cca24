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
        var answers = Write(writer, resolution.Answer);
        var authorities = Write(writer, resolution.Authority);
        var withoutAdditional = writer.Length - writer.QuestionEnd;
        var additionals = Write(writer, resolution.Additional);
        if (same is not null && same.Matches(resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired, writer.TailSpan))
            return same;
        var share = arena is not null && answers == 0;
        // Keyed by the bytes and the rcode; Matches compares every field, so a rare collision is only a reply not shared.
        var key = share ? AnswerTable.Hash(writer.TailSpan) ^ resolution.Rcode : 0;
        if (share && arena!.Shared(key) is { } known &&
            known.Matches(resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired, writer.TailSpan))
            return known;
        var tail = arena is null ? writer.Tail() : arena.Copy(writer.TailSpan);
        var answer = new PreparedAnswer(tail, resolution.Rcode, resolution.Authoritative, answers, authorities, additionals, withoutAdditional, resolution.AdditionalRequired);
        if (share) arena!.Share(key, answer);
        return answer;
    }

    private static ushort Write(MessageWriter writer, List<RRset> section)
    {
        ushort count = 0;
        foreach (var set in section)
            for (var i = 0; i < set.Records.Count; i++) // by index: an interface's enumerator would be one more object per render
            {
                writer.WriteRecord(set.Owner, set.Type, set.Ttl, set.Records[i].Data);
                count++;
            }
        return count;
    }
}
