using System.Diagnostics;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>GeoDns as a secondary of a real Knot: AXFR at start, IXFR on Knot's NOTIFY, TSIG, a stored copy served
/// after a restart without the primary, SOA EXPIRE honoured, and a copy that cannot be stored retried until it is.</summary>
public sealed class SecondaryTests
{
    private static string Zone(uint serial, uint expire, string extra = "") => $"""
        $ORIGIN example.org.
        $TTL 300
        @    IN SOA ns1 hostmaster {serial} 3600 1 {expire} 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        www  IN A   127.0.0.10
        {extra}
        """;

    [SkippableFact]
    public async Task GeoDns_FollowsKnot_ByNotifyAndIxfr_ServesStoredCopy_ExpiresOnTime()
    {
        Skip.IfNot(ExternalTool.Exists("knotd") && ExternalTool.Exists("knotc"), "knotd/knotc not installed (apt-get install knot)");
        using var tree = new TempTree("geodns-secondary-");
        var secret = TsigKeyText.Write(Path.Combine(tree.Path, "xfr.key"), "xfr");
        var (knotPort, geoPort) = (FreePort.Pick(), FreePort.Pick());
        var knot = new KnotPrimary(Path.Combine(tree.Path, "knot"), knotPort, "example.org", Zone(1, 1209600), geoPort, "xfr", secret);
        var config = $$"""
            { "exchange": { "keyFiles": ["xfr.key"],
              "secondaries": [{ "zone": "example.org", "primaries": ["127.0.0.1:{{knotPort}}"], "key": "xfr" }] } }
            """;
        var clock = Stopwatch.StartNew();
        try
        {
            await using (var server = await TestServer.StartAsync(TestServer.ExampleZone, config: config, directory: tree.Path, listen: $"127.0.0.1:{geoPort}"))
            {
                await Until(() => Answer(server, "www.example.org") == "127.0.0.10", "GeoDns serves the zone after its AXFR", knot);

                // An edit on the primary: Knot NOTIFYs, GeoDns pulls the difference (IXFR) and serves it.
                File.WriteAllText(knot.ZoneFile, Zone(2, 8, "new  IN A   127.0.0.77"));
                clock = Stopwatch.StartNew();
                Assert.Equal(0, (await knot.ReloadAsync())!.ExitCode);
                await Until(() => Answer(server, "new.example.org") == "127.0.0.77", "GeoDns serves the edit", knot);
                Console.WriteLine($"edit on Knot served by GeoDns after {clock.ElapsedMilliseconds} ms");
                // knotd's log reaches us through a pipe, maybe after the answer: wait for the line, not just read it once.
                await Until(() => knot.Log.Contains("IXFR, outgoing", StringComparison.Ordinal), "Knot logs the IXFR it sent", knot);
                Assert.Equal("127.0.0.10", Answer(server, "www.example.org"));
            }
            Console.WriteLine($"first server stopped {clock.ElapsedMilliseconds} ms after the edit");
            knot.Dispose(); // the primary goes away
            Console.WriteLine($"knot stopped {clock.ElapsedMilliseconds} ms after the edit");

            // A restart serves the stored copy at once; once EXPIRE (8 s) passes without a refresh, the zone is dropped.
            await using var restarted = await TestServer.StartAsync(TestServer.ExampleZone, config: config, directory: tree.Path, listen: $"127.0.0.1:{geoPort}");
            Console.WriteLine($"restarted {clock.ElapsedMilliseconds} ms after the edit");
            Assert.Equal("127.0.0.77", Answer(restarted, "new.example.org"));
            await Until(() => restarted.Ask("new.example.org", DnsType.A).ReturnCode == ReturnCode.Refused, "the expired zone is no longer served", null, TimeSpan.FromSeconds(15));
        }
        finally
        {
            knot.Dispose();
        }
    }

    [SkippableFact]
    public async Task CopyCannotBeStored_RefreshRetriedWithBackoff_ShownInZonesAndMetrics_ThenServed()
    {
        Skip.IfNot(ExternalTool.Exists("knotd") && ExternalTool.Exists("knotc"), "knotd/knotc not installed (apt-get install knot)");
        using var tree = new TempTree("geodns-secondary-save-");
        var secret = TsigKeyText.Write(Path.Combine(tree.Path, "xfr.key"), "xfr");
        var (knotPort, geoPort) = (FreePort.Pick(), FreePort.Pick());
        using var knot = new KnotPrimary(Path.Combine(tree.Path, "knot"), knotPort, "example.org", Zone(1, 1209600), geoPort, "xfr", secret);
        var config = $$"""
            { "exchange": { "keyFiles": ["xfr.key"],
                            "secondaries": [{ "zone": "example.org", "primaries": ["127.0.0.1:{{knotPort}}"], "key": "xfr" }] } }
            """;
        await using var server = await TestServer.StartAsync(TestServer.ExampleZone, config: config, directory: tree.Path, listen: $"127.0.0.1:{geoPort}");
        await Until(() => Answer(server, "www.example.org") == "127.0.0.10", "GeoDns serves the zone after its AXFR", knot);

        // A file where the copies' directory should be (chmod would not stop root): storing the next copy fails.
        var copies = Path.Combine(tree.Path, "data", "secondary");
        Directory.Move(copies, copies + ".kept");
        File.WriteAllText(copies, "in the way");
        File.WriteAllText(knot.ZoneFile, Zone(2, 1209600, "new  IN A   127.0.0.77"));
        Assert.Equal(0, (await knot.ReloadAsync())!.ExitCode);
        JsonElement status = default;
        await Until(() => (status = Secondary(server)).GetProperty("failures").GetInt32() >= 2, "two refreshes in a row fail to store the copy", knot);
        Assert.Contains("serial 2 from 127.0.0.1:", status.GetProperty("lastError").GetString());
        Assert.Contains("not stored", status.GetProperty("lastError").GetString());
        Assert.Equal(1u, status.GetProperty("serial").GetUInt32()); // the last stored copy is served meanwhile
        Assert.Equal("127.0.0.10", Answer(server, "www.example.org"));
        Assert.Null(Answer(server, "new.example.org"));
        Assert.True(status.GetProperty("nextAttemptAt").ValueKind == JsonValueKind.String || status.GetProperty("failures").GetInt32() > 2);
        Assert.True(await Failures(server) >= 2);

        // The disk is fixed: the next retry (backoff 1, 2, 4 … s) stores and serves serial 2 without a NOTIFY or restart.
        File.Delete(copies);
        Directory.Move(copies + ".kept", copies);
        await Until(() => Answer(server, "new.example.org") == "127.0.0.77", "the retry stores and serves serial 2", knot, TimeSpan.FromSeconds(30));
        status = Secondary(server);
        Assert.Equal((0, 2u), (status.GetProperty("failures").GetInt32(), status.GetProperty("serial").GetUInt32()));
        Assert.Equal(0, await Failures(server));
        Assert.Single(Directory.GetFiles(copies, "*.json"));
    }

    private static JsonElement Secondary(TestServer server)
    {
        using var zones = JsonDocument.Parse(server.Http.GetStringAsync("/v1/zones").Result);
        return zones.RootElement.GetProperty("secondaries").EnumerateArray().Single(z => z.GetProperty("zone").GetString() == "example.org.").Clone();
    }

    private static async Task<double> Failures(TestServer server)
    {
        var metrics = await server.Http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("geodns_secondary_refresh_failures{zone=\"example.org.\"}", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Answer(TestServer server, string name) =>
        server.Ask(name, DnsType.A).AnswerRecords.OfType<ARecord>().FirstOrDefault()?.Address.ToString();

    private static async Task Until(Func<bool> done, string what, KnotPrimary? knot, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > (bound ?? TimeSpan.FromSeconds(15))) Assert.Fail($"timed out waiting until {what}; knot log:\n{knot?.Log}");
            await Task.Delay(100);
        }
    }
}
