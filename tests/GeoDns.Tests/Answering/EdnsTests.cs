using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

public sealed class EdnsTests
{
    private static readonly AnswerFixture Zones = new(("example.com", AnswerFixture.ExampleCom + "\n" +
        string.Join("\n", Enumerable.Range(0, 5).Select(i => $"big IN TXT \"{new string((char)('a' + i), 200)}\""))));

    [Fact]
    public void Query_WithoutOpt_ReplyWithoutOpt()
    {
        var reply = Zones.Ask("www.example.com", DnsType.A, ednsPayload: null);

        Assert.False(reply.IsEDnsEnabled);
    }

    [Fact]
    public void Query_WithOpt_ReplyOptAdvertises1232()
    {
        var reply = Zones.Ask("www.example.com", DnsType.A, ednsPayload: 4096);

        Assert.True(reply.IsEDnsEnabled);
        Assert.Equal(1232, reply.EDnsOptions!.UdpPayloadSize);
        Assert.Equal(0, reply.EDnsOptions!.Version);
    }

    [Fact]
    public void Query_DnssecOk_DoBitCopied() =>
        Assert.True(ReplyText.Parse(Zones.Raw(TestQuery.Build("www.example.com", 1, ednsPayload: 1232, dnssecOk: true))).IsDnsSecOk);

    [Fact]
    public void Query_EdnsVersion1_BadVers()
    {
        var reply = ReplyText.Parse(Zones.Raw(TestQuery.Build("www.example.com", 1, ednsPayload: 1232, ednsVersion: 1)));

        Assert.Equal(ReturnCode.BadVersion, reply.ReturnCode);
        Assert.Equal(0, reply.EDnsOptions!.Version);
    }

    [Fact]
    public void Query_UnknownOption_Ignored()
    {
        byte[] query = [.. TestQuery.Build("www.example.com", 1, ednsPayload: 1232)[..^2], 0, 8, 0xFD, 0xE9, 0, 4, 1, 2, 3, 4];

        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], ReplyText.Parse(Zones.Raw(query)).Answer());
    }

    [Fact]
    public void Query_BigAnswerOverClassicUdp_TruncatedWithTc()
    {
        var reply = Zones.Ask("big.example.com", DnsType.TXT, ednsPayload: null);

        Assert.True(reply.IsTruncated);
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal("big.example.com.", reply.Questions[0].Name.ToString());
    }

    [Fact]
    public void Query_BigAnswerWithinEdnsPayload_Whole()
    {
        var reply = Zones.Ask("big.example.com", DnsType.TXT, ednsPayload: 1232);

        Assert.False(reply.IsTruncated);
        Assert.Equal(5, reply.AnswerRecords.Count);
    }

    [Fact]
    public void Query_BigAnswerOverTcp_Whole() =>
        Assert.Equal(5, Zones.Ask("big.example.com", DnsType.TXT, ednsPayload: null, tcp: true).AnswerRecords.Count);

    [Fact]
    public void Reply_NeverLargerThanClientPayload()
    {
        foreach (var payload in new[] { 512, 600, 1000, 1232, 4096 })
            Assert.True(Zones.Raw(TestQuery.Build("big.example.com", 16, ednsPayload: payload)).Length <= Math.Clamp(payload, 512, 1232));
    }
}
