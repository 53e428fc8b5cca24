using System.Diagnostics;
using GeoDns.Diagnostics;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tests.Answering;

namespace GeoDns.Tests.Diagnostics;

public sealed class QueryMetricsTests
{
    private static long Count(QueryMetrics metrics, bool tcp, string type, string rcode) =>
        metrics.Queries(tcp ? 1 : 0, Array.IndexOf(QueryLabels.Types, type), Array.IndexOf(QueryLabels.Rcodes, rcode));

    [Fact]
    public void Responder_CountsEachQueryByTransportTypeAndRcode()
    {
        var zones = new AnswerFixture();
        var reply = new byte[4096];

        zones.Responder.Respond(TestQuery.Build("www.example.com", DnsType.A), reply, tcp: false);
        zones.Responder.Respond(TestQuery.Build("www.example.com", DnsType.A), reply, tcp: false);
        zones.Responder.Respond(TestQuery.Build("nope.example.com", DnsType.AAAA), reply, tcp: true);
        zones.Responder.Respond(TestQuery.Build("example.org", DnsType.TXT), reply, tcp: false);
        zones.Responder.Respond(TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232, ednsVersion: 1), reply, tcp: false);
        zones.Responder.Respond(TestQuery.Build("www.example.com", 65280), reply, tcp: false);
        zones.Responder.Respond([1, 2, 3], reply, tcp: false);

        var metrics = zones.Responder.Metrics;
        Assert.Equal(2, Count(metrics, false, "A", "NOERROR"));
        Assert.Equal(1, Count(metrics, true, "AAAA", "NXDOMAIN"));
        Assert.Equal(1, Count(metrics, false, "TXT", "REFUSED"));
        Assert.Equal(1, Count(metrics, false, "A", "BADVERS"));
        Assert.Equal(1, Count(metrics, false, "other", "NOERROR"));
        Assert.Equal(1, Count(metrics, false, "other", "none")); // too short to answer: dropped
    }

    [Fact]
    public void Histogram_BucketsByBound_SumInSeconds()
    {
        var metrics = new QueryMetrics();

        metrics.ObserveResponse(tcp: false, Stopwatch.Frequency / 200_000); // 5 µs
        metrics.ObserveResponse(tcp: false, Stopwatch.Frequency / 5_000); // 200 µs
        metrics.ObserveResponse(tcp: true, Stopwatch.Frequency); // 1 s: past every bound

        Assert.Equal(1, metrics.Responses(0, 0));
        Assert.Equal(1, metrics.Responses(0, Array.IndexOf(QueryMetrics.BucketBounds, 0.00025)));
        Assert.Equal(1, metrics.Responses(1, QueryMetrics.BucketBounds.Length));
        Assert.Equal(0.000205, metrics.ResponseSeconds(0), 6);
    }

    [Fact]
    public void ManyThreads_NoCountLost()
    {
        var metrics = new QueryMetrics();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                metrics.CountQuery(false, DnsType.A, 0);
                metrics.CountGeoLookup(located: i % 2 == 0);
            }
        });

        Assert.Equal(80_000, metrics.Queries(0, 0, 0));
        Assert.Equal(40_000, metrics.GeoLookups(located: true));
    }

    [Fact]
    public void Counting_AllocatesNothing()
    {
        var metrics = new QueryMetrics();
        metrics.CountQuery(false, DnsType.A, 0);
        metrics.ObserveResponse(false, 100);
        metrics.CountGeoLookup(true);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.CountQuery(i % 2 == 0, DnsType.AAAA, 3);
            metrics.ObserveResponse(false, i * 100);
            metrics.CountGeoLookup(false);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
