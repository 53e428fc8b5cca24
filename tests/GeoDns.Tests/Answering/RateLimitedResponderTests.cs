using GeoDns.Protocol;
using GeoDns.RateLimiting;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Answering;

/// <summary>The responder's side of RRL: which bucket a reply draws on, and what a limited reply looks like.</summary>
public sealed class RateLimitedResponderTests
{
    private static readonly byte[] Victim = [192, 0, 2, 1];
    private readonly AnswerFixture _zones = new();

    public RateLimitedResponderTests() =>
        _zones.Responder.RateLimiter = new RateLimiter(new RateLimitOptions { ResponsesPerSecond = 5, Slip = 2 }, new FakeTimeProvider(), NullLogger.Instance);

    private byte[] Udp(string name, ushort type = DnsType.A, bool tcp = false)
    {
        var query = TestQuery.Build(name, type, ednsPayload: 1232);
        var reply = new byte[4096];
        return reply[.._zones.Responder.Respond(query, reply, tcp, Victim)];
    }

    [Fact]
    public void Respond_OverTheRate_DropsThenSlipsAMinimalTruncatedReply()
    {
        for (var i = 0; i < 5; i++) Assert.NotEmpty(Udp("www.example.com"));

        var dropped = Udp("www.example.com");
        var slipped = Udp("www.example.com");

        Assert.Empty(dropped);
        var query = TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232);
        Assert.True(slipped.Length < query.Length, "a slipped reply is never larger than the query");
        var message = ReplyText.Parse(slipped);
        Assert.True(message.IsTruncated);
        Assert.Equal("www.example.com.", message.Questions[0].Name.ToString());
        Assert.Empty(message.AnswerRecords);
        Assert.Empty(message.AdditionalRecords);
    }

    [Fact]
    public void Respond_Tcp_NeverLimited()
    {
        for (var i = 0; i < 50; i++) Assert.Single(ReplyText.Parse(Udp("www.example.com", tcp: true)).AnswerRecords);
    }

    [Fact]
    public void Respond_RandomMissingNames_ShareTheZonesNxdomainBucket()
    {
        var answered = Enumerable.Range(0, 20).Count(i => Udp($"random{i}.example.com") is { Length: > 0 } r && !ReplyText.Parse(r).IsTruncated);

        Assert.Equal(5, answered);
        Assert.NotEmpty(Udp("random0.example.net")); // another zone: another bucket
    }

    [Fact]
    public void Respond_NamesUnderOneWildcard_ShareABucket()
    {
        var answered = Enumerable.Range(0, 20).Count(i => Udp($"w{i}.apps.example.com") is { Length: > 0 } r && !ReplyText.Parse(r).IsTruncated);

        Assert.Equal(5, answered);
    }

    [Fact]
    public void Respond_NodataOfTwoNames_DrawOnTwoBuckets()
    {
        // www and ns2 share one prepared NODATA reply (the same bytes): the bucket is still the name's, as BIND's RRL keys NODATA.
        for (var i = 0; i < 10; i++) Udp("www.example.com", DnsType.MX);

        var other = ReplyText.Parse(Udp("ns2.example.com", DnsType.MX));

        Assert.False(other.IsTruncated);
        Assert.Equal("ns2.example.com.", other.Questions[0].Name.ToString());
        Assert.Single(other.AuthorityRecords);
    }

    [Fact]
    public void Respond_OneNameExhausted_OtherNamesAndClassesStillAnswered()
    {
        for (var i = 0; i < 10; i++) Udp("www.example.com");

        Assert.Single(ReplyText.Parse(Udp("mail.example.com")).AnswerRecords);
        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.NxDomain, ReplyText.Parse(Udp("nope.example.com")).ReturnCode);
        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.Refused, ReplyText.Parse(Udp("example.org")).ReturnCode);
    }

    [Fact]
    public void Respond_WithLimiter_AllocatesNothing()
    {
        var query = TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232);
        var reply = new byte[4096];
        for (var i = 0; i < 20_000; i++) _zones.Responder.Respond(query, reply, tcp: false, Victim); // warm up, and past the rate: drops and slips

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) _zones.Responder.Respond(query, reply, tcp: false, Victim);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
