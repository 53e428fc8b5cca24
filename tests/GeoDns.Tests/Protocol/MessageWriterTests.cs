using GeoDns.Protocol;

namespace GeoDns.Tests.Protocol;

public sealed class MessageWriterTests
{
    private static readonly byte[] Address = [192, 0, 2, 1];

    private static byte[] Write(MessageWriter writer)
    {
        writer.WriteRecord(DnsName.Parse("www.example.com"), DnsType.A, 300, Address);
        writer.WriteRecord(DnsName.Parse("mail.example.com"), DnsType.A, 300, Address);
        return writer.ToArray();
    }

    [Fact]
    public void Reset_WritesAsAFreshWriterWould()
    {
        var reused = new MessageWriter(DnsName.Parse("www.example.com"), DnsType.A, positionIndependent: false);
        var first = Write(reused);
        reused.Reset(DnsName.Parse("a.b.example.org"), DnsType.AAAA, positionIndependent: false);

        // The names remembered for the first message must not leak pointers into the second.
        var second = Write(reused);
        Assert.Equal(Write(new MessageWriter(DnsName.Parse("a.b.example.org"), DnsType.AAAA, positionIndependent: false)), second);
        Assert.Equal(Write(new MessageWriter(DnsName.Parse("www.example.com"), DnsType.A, positionIndependent: false)), first);
        Assert.Equal(reused.Tail(), second[reused.QuestionEnd..]);
    }

    [Fact]
    public void WriteRecord_SharedSuffix_PointsAtItsFirstCopy()
    {
        var writer = new MessageWriter(DnsName.Parse("www.example.com"), DnsType.A, positionIndependent: false);
        var message = Write(writer);
        var answers = message[writer.QuestionEnd..];

        Assert.Equal([0xC0, 12], answers[..2]); // the owner is the question name, at offset 12
        // The second owner: its first label, then a pointer to "example.com" inside the question (12 + 4).
        var second = answers.AsSpan(2 + 10 + 4);
        Assert.Equal([4, (byte)'m', (byte)'a', (byte)'i', (byte)'l', 0xC0, 16], second[..7].ToArray());
    }
}
