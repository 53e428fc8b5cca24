using GeoDns.Answering;
using GeoDns.Cookies;
using GeoDns.Protocol;
using GeoDns.RateLimiting;
using GeoDns.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Answering;

/// <summary>The batched UDP loop writes each reply over its own query: every reply must come out as from a separate buffer.</summary>
public sealed class InPlaceResponseTests : IDisposable
{
    private static readonly byte[] Client = [192, 0, 2, 1];
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CookieJar _jar;

    public InPlaceResponseTests() =>
        _jar = CookieJar.Open(new DnsCookieOptions(), _data.Path, _time, NullLogger.Instance, out var error) ?? throw new InvalidOperationException(error);

    public void Dispose()
    {
        _jar.Dispose();
        _data.Dispose();
    }

    /// <summary>A responder with cookies and a tight RRL (3/s, every limited reply slipped), so slips and BADCOOKIE are in the mix.</summary>
    private Responder NewResponder()
    {
        var responder = new AnswerFixture().Responder;
        responder.Cookies = _jar;
        responder.RateLimiter = new RateLimiter(new RateLimitOptions { ResponsesPerSecond = 3, Slip = 1 }, _time, NullLogger.Instance);
        return responder;
    }

    private static IEnumerable<byte[]> Queries()
    {
        byte[] cookie = [1, 2, 3, 4, 5, 6, 7, 8];
        foreach (var (name, type) in new[] { ("www.example.com", DnsType.A), ("example.com", DnsType.NS), ("nope.example.com", DnsType.A), ("chain.example.com", DnsType.A),
                     ("x.old.example.com", DnsType.A), ("host.lab.example.com", DnsType.A), ("x.apps.example.com", DnsType.TXT), ("example.com", DnsType.MX) })
        {
            yield return TestQuery.Build(name, type);
            yield return TestQuery.Build(name, type, ednsPayload: 512);
            yield return TestQuery.WithOption(TestQuery.Build(name, type, ednsPayload: 1232), QueryParser.EcsOption, TestQuery.ClientSubnet("198.51.100.0/24"));
            yield return TestQuery.WithOption(TestQuery.Build(name, type, ednsPayload: 1232), QueryParser.CookieOption, cookie);
            yield return TestQuery.WithOption(TestQuery.Build(name, type, ednsPayload: 1232), QueryParser.CookieOption, [.. cookie, .. new byte[16]]); // a server cookie we never made
            yield return TestQuery.Build(name, type, ednsPayload: 1232, ednsVersion: 1);
        }
        yield return TestQuery.Build("www.example.com", DnsType.AXFR, ednsPayload: 1232);
        yield return [0x12, 0x34, 0x01, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0]; // two questions: FORMERR
    }

    [Fact]
    public void Respond_ReplyOverItsQuery_SameBytesAsIntoASeparateBuffer()
    {
        var (separate, inPlace) = (NewResponder(), NewResponder());
        var count = 0;
        foreach (var query in Queries())
        {
            var expected = new byte[Responder.MaxUdpPayload * 2];
            var length = separate.Respond(query, expected, tcp: false, Client);

            var buffer = new byte[4096];
            query.CopyTo(buffer, 0);
            var inPlaceLength = inPlace.Respond(buffer.AsSpan(0, query.Length), buffer.AsSpan(0, Responder.MaxUdpPayload * 2), tcp: false, Client);

            Assert.Equal(length, inPlaceLength);
            Assert.Equal(expected[..length], buffer[..inPlaceLength]);
            count++;
        }
        Assert.True(separate.RateLimiter!.Counters.Total(RateLimitCounters.Slipped) > 0, "the mix includes slipped replies");
        Assert.Equal(50, count);
    }
}
