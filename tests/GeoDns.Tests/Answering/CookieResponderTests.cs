using ARSoft.Tools.Net.Dns;
using GeoDns.Cookies;
using GeoDns.Protocol;
using GeoDns.RateLimiting;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Answering;

/// <summary>DNS Cookies on the query path (RFC 7873 §5.2): echo, BADCOOKIE, FORMERR, and the RRL exemption.</summary>
public sealed class CookieResponderTests : IDisposable
{
    private static readonly byte[] Client = [192, 0, 2, 1];
    private static readonly byte[] ClientCookie = [0x24, 0x64, 0xc4, 0xab, 0xcf, 0x10, 0xc9, 0x57];
    private readonly TempDirectory _data = new();
    private readonly AnswerFixture _zones = new();
    private readonly CookieJar _jar;

    public CookieResponderTests()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _jar = CookieJar.Open(new DnsCookieOptions(), _data.Path, time, NullLogger.Instance, out var error) ?? throw new InvalidOperationException(error);
        _zones.Responder.Cookies = _jar;
        _zones.Responder.RateLimiter = new RateLimiter(new RateLimitOptions { ResponsesPerSecond = 5, Slip = 2 }, time, NullLogger.Instance);
    }

    public void Dispose()
    {
        _jar.Dispose();
        _data.Dispose();
    }

    private static byte[] Query(byte[] cookie, string name = "www.example.com") =>
        TestQuery.WithOption(TestQuery.Build(name, DnsType.A, ednsPayload: 1232), QueryParser.CookieOption, cookie);

    private byte[] Send(byte[] query, bool tcp = false)
    {
        var reply = new byte[4096];
        return reply[.._zones.Responder.Respond(query, reply, tcp, Client)];
    }

    private static byte[]? CookieOf(byte[] reply) =>
        ReplyText.Parse(reply).EDnsOptions?.Options.OfType<CookieOption>().SingleOrDefault() is { } c ? [.. c.ClientCookie, .. c.ServerCookie] : null;

    [Fact]
    public void Respond_ClientCookieOnly_AnswersWithClientAndServerCookie()
    {
        var reply = Send(Query(ClientCookie));

        var message = ReplyText.Parse(reply);
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], message.Answer());
        var cookie = CookieOf(reply)!;
        Assert.Equal(24, cookie.Length);
        Assert.Equal(ClientCookie, cookie[..8]);
        Assert.Equal(CookieCheck.Valid, _jar.Check(cookie, Client));
    }

    [Fact]
    public void Respond_InvalidServerCookieOverUdp_BadCookieWithAFreshOne()
    {
        byte[] forged = [.. ClientCookie, 1, 0, 0, 0, 0x5c, 0xf7, 0x9f, 0x11, 1, 2, 3, 4, 5, 6, 7, 8];

        var reply = Send(Query(forged));

        var message = ReplyText.Parse(reply);
        Assert.Equal(ReturnCode.BadCookie, message.ReturnCode);
        Assert.Empty(message.AnswerRecords);
        Assert.Equal(CookieCheck.Valid, _jar.Check(CookieOf(reply)!, Client));
    }

    [Fact]
    public void Respond_InvalidServerCookieOverTcp_AnsweredAsUsual()
    {
        byte[] forged = [.. ClientCookie, .. new byte[16]];

        var message = ReplyText.Parse(Send(Query(forged), tcp: true));

        Assert.Equal(ReturnCode.NoError, message.ReturnCode);
        Assert.Single(message.AnswerRecords);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(41)]
    public void Respond_CookieOfImpossibleLength_FormErr(int length)
    {
        Assert.Equal(ReturnCode.FormatError, ReplyText.Parse(Send(Query(new byte[length]))).ReturnCode);
    }

    [Fact]
    public void Respond_ValidServerCookie_ExemptFromRateLimiting()
    {
        var cookie = CookieOf(Send(Query(ClientCookie)))!;

        var answered = Enumerable.Range(0, 50).Count(_ => ReplyText.Parse(Send(Query(cookie))).AnswerRecords.Count == 1);

        Assert.Equal(50, answered);
    }

    [Fact]
    public void Respond_ClientCookieOverTheRate_SlipIsBadCookieCarryingTheServerCookie()
    {
        var replies = Enumerable.Range(0, 20).Select(_ => Send(Query(ClientCookie))).ToList();

        var slipped = replies.Where(r => r.Length > 0 && ReplyText.Parse(r).ReturnCode == ReturnCode.BadCookie).ToList();
        Assert.Equal(5, replies.Count(r => r.Length > 0 && ReplyText.Parse(r).AnswerRecords.Count == 1));
        Assert.NotEmpty(slipped);
        Assert.All(slipped, r => Assert.Equal(CookieCheck.Valid, _jar.Check(CookieOf(r)!, Client)));
    }

    [Fact]
    public void Respond_NoCookieJar_OptionIgnored()
    {
        _zones.Responder.Cookies = null;

        var reply = Send(Query(new byte[12]));

        Assert.Equal(ReturnCode.NoError, ReplyText.Parse(reply).ReturnCode);
        Assert.Null(CookieOf(reply));
    }

    [Fact]
    public void Respond_ValidCookie_AllocatesNothing()
    {
        var query = Query(CookieOf(Send(Query(ClientCookie)))!);
        var reply = new byte[4096];
        for (var i = 0; i < 20_000; i++) _zones.Responder.Respond(query, reply, tcp: false, Client);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) _zones.Responder.Respond(query, reply, tcp: false, Client);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
