using GeoDns.Protocol;

namespace GeoDns.Answering;

/// <summary>Turns a <see cref="Resolution"/> into wire bytes once, so queries only copy them.</summary>
public static class AnswerRenderer
{
    public static PreparedAnswer Render(Resolution resolution, DnsName qname, ushort qtype, bool positionIndependent)
    {
        var writer = new MessageWriter(qname, qtype, positionIndependent);
        var sections = new[] { resolution.Answer, resolution.Authority, resolution.Additional };
        var counts = new ushort[3];
        var withoutAdditional = 0;
        for (var section = 0; section < 3; section++)
        {
            if (section == 2) withoutAdditional = writer.Length - writer.QuestionEnd;
            foreach (var set in sections[section])
                foreach (var record in set.Records)
                {
                    writer.WriteRecord(set.Owner, set.Type, set.Ttl, record.Data);
                    counts[section]++;
                }
        }
        var tail = writer.ToArray()[writer.QuestionEnd..];
        return new PreparedAnswer(tail, resolution.Rcode, resolution.Authoritative, counts[0], counts[1], counts[2], withoutAdditional, resolution.AdditionalRequired);
    }
}
