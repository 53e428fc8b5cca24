using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_PrometheusText_CountsQueriesProbesStatesAndReloads()
    {
        using var edges = new LoopbackEdges(2);
        edges.Stop(1);
        await using var server = await TestServer.StartAsync(config: edges.Config());
        for (var i = 0; i < 3; i++) server.Ask("www.example.com", DnsType.A);
        server.Ask("nope.example.com", DnsType.AAAA);
        using (var tcp = server.ConnectTcp())
        {
            TestServer.SendFramed(tcp.GetStream(), TestQuery.Build("www.example.com", DnsType.MX));
            Assert.NotNull(TestServer.ReadFramed(tcp.GetStream()));
        }
        await server.Service.Operations!.ReloadZonesAsync("test");

        // A reply's time is recorded just after it is sent, so the client may be a hair ahead of the histogram.
        var (types, samples) = await Scrape(server);
        for (var i = 0; i < 40 && samples.Single(s => s.Name == "geodns_response_seconds_count" && s.Has(("transport", "udp"))).Value < 4; i++)
        {
            await Task.Delay(50);
            (types, samples) = await Scrape(server);
        }

        Assert.Equal("counter", types["geodns_queries_total"]);
        Assert.Equal("histogram", types["geodns_response_seconds"]);
        Assert.Equal("gauge", types["geodns_edge_state"]);
        double Value(string name, params (string, string)[] labels) => Assert.Single(samples, s => s.Name == name && s.Has(labels)).Value;
        Assert.Equal(3, Value("geodns_queries_total", ("transport", "udp"), ("type", "A"), ("rcode", "NOERROR")));
        Assert.Equal(1, Value("geodns_queries_total", ("transport", "udp"), ("type", "AAAA"), ("rcode", "NXDOMAIN")));
        Assert.Equal(1, Value("geodns_queries_total", ("transport", "tcp"), ("type", "MX"), ("rcode", "NOERROR")));
        Assert.Equal(4, Value("geodns_response_seconds_count", ("transport", "udp")));
        Assert.Equal(1, Value("geodns_response_seconds_count", ("transport", "tcp")));
        Assert.Equal(1, Value("geodns_edge_state", ("edge", "edge-1"), ("state", "up")));
        Assert.Equal(0, Value("geodns_edge_state", ("edge", "edge-1"), ("state", "down")));
        Assert.Equal(1, Value("geodns_edge_state", ("edge", "edge-2"), ("address", edges.Address(1)), ("state", "down")));
        Assert.True(Value("geodns_probes_total", ("target", $"tcp://{edges.Address(0)}:{edges.Port}"), ("result", "success")) >= 1);
        Assert.True(Value("geodns_probes_total", ("target", $"tcp://{edges.Address(1)}:{edges.Port}"), ("result", "failure")) >= 1);
        // In seconds: a loopback connect, though a loaded machine has delayed one past a second (the probe's timeout is 500 ms).
        Assert.InRange(Value("geodns_probe_latency_seconds", ("target", $"tcp://{edges.Address(0)}:{edges.Port}")), 0, 5);
        Assert.Equal(1, Value("geodns_reloads_total", ("kind", "zones"), ("result", "ok")));
        Assert.Equal(0, Value("geodns_reloads_total", ("kind", "config"), ("result", "error")));
        Assert.Equal(0, Value("geodns_geo_lookups_total", ("result", "located"))); // no geo database here
        // The home's last contact: this scrape, whose client sends the admin token, is one.
        Assert.Equal("gauge", types["geodns_home_last_contact_seconds"]);
        Assert.InRange(Value("geodns_home_last_contact_seconds"), 0, 5);
        Assert.False(types.ContainsKey("geodns_alert_deliveries_total"), "no alerts configured: no deliveries to count");
        // The process's own costs, so a benchmark can tell warm-up (JIT) and collector pauses from work.
        Assert.True(Value("geodns_process_cpu_seconds_total") > 0);
        Assert.True(Value("geodns_jit_seconds_total") > 0);
        Assert.True(Value("geodns_gc_pause_seconds_total") >= 0);
        // Each pause on its own, so one long pause shows apart from many short ones.
        Assert.Equal("histogram", types["geodns_gc_pause_duration_seconds"]);
        Assert.Equal(Value("geodns_gc_pause_duration_seconds_count"), Value("geodns_gc_pause_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(Value("geodns_gc_pause_duration_seconds_bucket", ("le", "0.01")) <= Value("geodns_gc_pause_duration_seconds_bucket", ("le", "0.1")));
        Assert.True(Value("geodns_gc_pause_longest_seconds") >= 0);
        // The publisher's own CPU: a reload builds a table (static), probe results swap a pool's slot (routes).
        Assert.True(Value("geodns_publishes_total", ("lane", "static")) >= 2); // the start and the reload
        Assert.True(Value("geodns_publishes_total", ("lane", "routes")) >= 1);
        Assert.True(Value("geodns_publish_cpu_seconds_total", ("lane", "static")) > 0);
        Assert.True(Value("geodns_gc_collections_total", ("generation", "0")) >= Value("geodns_gc_collections_total", ("generation", "2")));
    }

    [Fact]
    public async Task Metrics_ACollectorPause_ShowsInTheHistogramAndAsTheLongest()
    {
        await using var server = await TestServer.StartAsync();
        _ = await Scrape(server); // the pause listener runs from here on, at the latest
        GC.Collect();
        // The runtime's events arrive shortly after the collection.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var samples = (await Scrape(server)).Samples;
        double Value(string name) => samples.Single(s => s.Name == name).Value;
        while (Value("geodns_gc_pause_duration_seconds_count") == 0 && clock.Elapsed < Eventually.Bound)
        {
            await Task.Delay(50);
            samples = (await Scrape(server)).Samples;
        }
        Assert.True(Value("geodns_gc_pause_duration_seconds_count") > 0, "the collection is in /metrics");
        Assert.True(Value("geodns_gc_pause_longest_seconds") > 0);
        // What the collection left: what lives, never more than was allocated.
        Assert.InRange(Value("geodns_gc_heap_bytes"), 1, Value("geodns_gc_allocated_bytes_total"));
    }

    private static async Task<(IReadOnlyDictionary<string, string> Types, IReadOnlyList<MetricSample> Samples)> Scrape(TestServer server)
    {
        using var response = await server.Http.GetAsync("/metrics");
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Parser_RejectsWhatPrometheusWould()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse("x 1\n")); // no TYPE
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x counter\nx{a=\"1} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x counter\nx 1")); // no final newline
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"));
        Assert.Single(PrometheusText.Parse("# HELP x a \"help\"\n# TYPE x gauge\nx{a=\"q\\\"\\\\\"} -1.5\n").Samples);
    }
}
