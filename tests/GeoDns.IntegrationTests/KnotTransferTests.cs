using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A real Knot (knotd) as secondary of GeoDns: AXFR at start, IXFR after a zone edit and after a pool's health
/// change, each pulled because of our NOTIFY (Knot's own refresh timer is an hour away), TSIG required.
/// `.ci/run` installs knot and knot-dnsutils.
/// </summary>
public sealed class KnotTransferTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        www  IN A   127.0.0.10
        """;

    [SkippableFact]
    public async Task Knot_FollowsZoneEditsAndPoolHealth_ThroughNotifyAndIxfr()
    {
        Skip.IfNot(ExternalTool.Exists("knotd") && ExternalTool.Exists("kdig"), "knotd/kdig not installed (apt-get install knot knot-dnsutils)");
        using var edges = new LoopbackEdges(2);
        using var directory = new TempTree("geodns-knot-");
        var secret = TsigKeyText.Write(Path.Combine(directory.Path, "xfr.key"), "xfr");
        var knotPort = FreePort.Pick();
        var config = edges.Config().TrimEnd().TrimEnd('}') + $$"""
            , "exchange": { "keyFiles": ["xfr.key"],
              "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "keys": ["xfr"], "notify": ["127.0.0.1:{{knotPort}}"] }] } }
            """;
        await using var server = await TestServer.StartAsync(Zone, config: config, directory: directory.Path);
        using var knot = new KnotSecondary(Path.Combine(directory.Path, "knot"), knotPort, "example.com", server.Endpoint.Port, "xfr", secret);

        // Start: Knot has no copy and pulls the whole zone, the pool's healthy set included as plain A records.
        await Until(async () => await knot.ShortAsync("www.example.com", "A") == "127.0.0.10", knot, "Knot serves www after its first AXFR");
        Assert.Equal([edges.Address(0), edges.Address(1)], Lines(await knot.ShortAsync("app.example.com", "A")));
        await Until(() => Task.FromResult(knot.Log.Contains("AXFR, incoming", StringComparison.Ordinal)), knot, "Knot logs its AXFR"); // its log comes through a pipe, maybe after the answer

        // A zone edit: reloaded, new serial, NOTIFY; Knot asks for IXFR and gets just the change.
        await File.AppendAllTextAsync(Path.Combine(server.ZoneDirectory, "example.com.zone"), "\nnew  IN A   127.0.0.77\n");
        var edit = Stopwatch.StartNew();
        server.Service.Operations!.ReloadZones("test edit");
        await Until(async () => await knot.ShortAsync("new.example.com", "A") == "127.0.0.77", knot, "Knot serves the edit");
        var afterEdit = edit.Elapsed;
        await Until(() => Task.FromResult(knot.Log.Contains("IXFR, incoming", StringComparison.Ordinal)), knot, "Knot logs its IXFR"); // its log comes through a pipe, maybe after the answer

        // A pool change: edge 2 dies, the healthy set shrinks, the serial moves, Knot follows by IXFR.
        await server.SettledAsync();
        var rebuilds = server.Service.Observations.PublishMetrics.Publishes("static");
        edges.Stop(1);
        await Until(async () => await knot.ShortAsync("app.example.com", "A") == edges.Address(0), knot, "Knot drops the dead edge");
        // Knot ends on our serial (a later version, if any, is NOTIFYed as well).
        await Until(async () => (await knot.ShortAsync("example.com", "SOA")).Contains(
            server.Service.Exchange!.Served.Find(GeoDns.Protocol.DnsName.Parse("example.com"))!.Version.Serial.ToString()), knot, "Knot has our serial");
        // The health change rebuilt nothing: the pool's records and the serial moved, and every reply carrying our SOA says so.
        Assert.Equal(rebuilds, server.Service.Observations.PublishMetrics.Publishes("static"));
        var served = server.Service.Exchange!.Served.Find(GeoDns.Protocol.DnsName.Parse("example.com"))!.Version.Serial;
        Assert.Equal(served, server.Ask("example.com", DnsType.SOA).AnswerRecords.OfType<SoaRecord>().Single().SerialNumber);
        Assert.Equal(served, server.Ask("missing.example.com", DnsType.A).AuthorityRecords.OfType<SoaRecord>().Single().SerialNumber); // NXDOMAIN
        Assert.Equal(served, server.Ask("www.example.com", DnsType.TXT).AuthorityRecords.OfType<SoaRecord>().Single().SerialNumber); // NODATA
        // Our NOTIFY, not Knot's hourly refresh, brought each change: the edit arrived this fast.
        Assert.True(afterEdit < TimeSpan.FromSeconds(10), $"edit reached Knot after {afterEdit.TotalMilliseconds:F0} ms");
        Console.WriteLine($"zone edit on Knot after {afterEdit.TotalMilliseconds:F0} ms");

        // TSIG is required: unsigned and wrongly keyed AXFRs are refused; nothing is sent.
        var unsigned = await ExternalTool.RunAsync("kdig", ["@127.0.0.1", "-p", server.Endpoint.Port.ToString(), "example.com", "AXFR", "+time=2", "+retry=0"]);
        Assert.Contains("REFUSED", unsigned!.All);
        var wrong = await ExternalTool.RunAsync("kdig", ["@127.0.0.1", "-p", server.Endpoint.Port.ToString(), "-y", $"hmac-sha256:xfr:{Convert.ToBase64String(new byte[32])}", "example.com", "AXFR", "+time=2", "+retry=0"]);
        Assert.True(wrong!.All.Contains("NOTAUTH") || wrong.All.Contains("BADSIG"), wrong.All);
        Assert.DoesNotContain("127.0.0.10", wrong.All);
        // The right key from an address not in allowFrom: REFUSED.
        var elsewhere = await ExternalTool.RunAsync("kdig", ["@127.0.0.1", "-p", server.Endpoint.Port.ToString(), "-b", "127.0.0.2", "-y", $"hmac-sha256:xfr:{secret}", "example.com", "AXFR", "+time=2", "+retry=0"]);
        Assert.Contains("REFUSED", elsewhere!.All);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

    private static async Task Until(Func<Task<bool>> done, KnotSecondary knot, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail($"timed out waiting until {what}; knot log:\n{knot.Log}");
            await Task.Delay(100);
        }
    }
}
