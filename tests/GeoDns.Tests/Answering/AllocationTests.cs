using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

public sealed class AllocationTests
{
    [Theory]
    [InlineData("www.example.com", DnsType.A)]
    [InlineData("WWW.Example.com", DnsType.AAAA)]
    [InlineData("nope.example.com", DnsType.A)]
    [InlineData("shop.apps.example.com", DnsType.A)]
    [InlineData("chain.example.com", DnsType.A)]
    [InlineData("deep.lab.example.com", DnsType.A)]
    [InlineData("example.org", DnsType.A)]
    public void Respond_UdpQuery_AllocatesNothing(string name, ushort type)
    {
        var zones = new AnswerFixture();
        var query = TestQuery.Build(name, type, ednsPayload: 1232);
        var reply = new byte[4096];
        for (var i = 0; i < 100; i++) zones.Responder.Respond(query, reply, tcp: false); // warm up (JIT, tiering)

        var rounds = AllocationRounds.Measure(() =>
        {
            for (var i = 0; i < 1000; i++) zones.Responder.Respond(query, reply, tcp: false);
        });

        Assert.True(rounds[^1] == 0, $"bytes allocated per 1000 queries, by round: {string.Join(", ", rounds)}");
    }
}
