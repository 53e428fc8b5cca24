using System.Diagnostics;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Transfer;

namespace GeoDns.IntegrationTests;

/// <summary>
/// GeoDns as the secondary of a primary that breaks the rules: what it sends is checked as a zone file is, a transfer
/// that breaks a rule or a cap is refused with the reason on /v1/zones, /metrics and the log, the last good copy (or
/// none) is served, nothing bad is stored, and every other zone goes on answering.
/// </summary>
public sealed class HostilePrimaryTests
{
    private static List<ResourceRecord> Sec(uint serial, params ResourceRecord[] more) =>
    [
        HostilePrimary.Soa("sec.test", serial),
        HostilePrimary.Record("sec.test", DnsType.NS, "ns1.sec.test"),
        HostilePrimary.Record("ns1.sec.test", DnsType.A, "127.0.0.1"),
        HostilePrimary.Record("www.sec.test", DnsType.A, "127.0.0.80"),
        .. more,
    ];

    public static TheoryData<string, string> Slipped => new()
    {
        { "hijack", "outside the zone" },      // an owner outside every zone
        { "served", "outside the zone" },      // a name of a zone served from a file
        { "alias", "beside other data" },      // a rule of the zone itself (RFC 1034 §3.6.2)
        { "bulk", "maxRecords" },              // more records than the cap (10)
    };

    private static ResourceRecord[] Hostile(string kind) => kind switch
    {
        "hijack" => [HostilePrimary.Record("hijack.invalid", DnsType.A, "127.0.0.66")],
        "served" => [HostilePrimary.Record("www.example.com", DnsType.NS, "ns.evil.test")],
        "alias" => [HostilePrimary.Record("alias.sec.test", DnsType.CNAME, "www.sec.test"), HostilePrimary.Record("alias.sec.test", DnsType.A, "127.0.0.67")],
        _ => [.. Enumerable.Range(1, 20).Select(i => HostilePrimary.Record($"h{i}.sec.test", DnsType.A, $"127.0.1.{i}"))],
    };

    [Theory]
    [MemberData(nameof(Slipped))]
    public async Task HostileFirstTransfer_Refused_NothingStoredOrServed_EverythingElseAnswers(string kind, string why)
    {
        using var primary = new HostilePrimary();
        primary.Zone = Sec(1, Hostile(kind));
        await using var server = await Start(primary);

        var status = await Until(server, s => s.GetProperty("rejected").GetInt64() >= 1, "the transfer is refused");

        Assert.Contains(why, status.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("serial").ValueKind);
        Assert.Equal(ReturnCode.Refused, server.Ask("www.sec.test", DnsType.A).ReturnCode); // no copy: not served
        Assert.Equal(["127.0.0.10"], server.Ask("www.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.Empty(server.Ask("www.example.com", DnsType.NS).AnswerRecords);
        Assert.Equal(ReturnCode.Refused, server.Ask("hijack.invalid", DnsType.A).ReturnCode);
        var copies = Path.Combine(server.Directory, "data", "secondary");
        Assert.True(!System.IO.Directory.Exists(copies) || System.IO.Directory.GetFiles(copies, "*.json").Length == 0);
        Assert.Contains("geodns_secondary_transfers_rejected_total{zone=\"sec.test.\"} ", await server.Http.GetStringAsync("/metrics"));
        AssertRejectedLine(server, primary, why);
    }

    [Fact]
    public async Task HostileIxfr_AfterAGoodCopy_Refused_TheGoodCopyServed()
    {
        using var primary = new HostilePrimary();
        primary.Zone = Sec(1);
        await using var server = await Start(primary);
        await Until(server, s => s.GetProperty("serial").ValueKind == JsonValueKind.Number, "the first copy is served");

        // Serial 2 adds a CNAME at a name that has an A: the step alone breaks the rule (RFC 1034 §3.6.2).
        var cname = HostilePrimary.Record("www.sec.test", DnsType.CNAME, "ns1.sec.test");
        primary.Zone = [.. Sec(2), cname];
        primary.Steps = [new ZoneDelta(Sec(1)[0], [], Sec(2)[0], [cname])];
        var status = await Until(server, s => s.GetProperty("rejected").GetInt64() >= 1, "the IXFR is refused");

        Assert.Contains("beside other data", status.GetProperty("lastError").GetString());
        Assert.Equal(1u, status.GetProperty("serial").GetUInt32());
        Assert.Equal(["127.0.0.80"], server.Ask("www.sec.test", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()));
        AssertRejectedLine(server, primary, "beside other data");
    }

    [Fact]
    public async Task TransferPastMaxBytes_AfterAGoodCopy_Refused_TheGoodCopyServed()
    {
        using var primary = new HostilePrimary();
        primary.Zone = Sec(1);
        // A record cap far above what is sent: only the byte cap (about 300 bytes for serial 1) can refuse serial 2.
        await using var server = await Start(primary, maxRecords: 1000, maxBytes: 1000);
        await Until(server, s => s.GetProperty("serial").ValueKind == JsonValueKind.Number, "the first copy is served");

        // Serial 2 is sent whole (no IXFR steps): 100 more records, well over 1000 bytes whatever the compression.
        primary.Zone = Sec(2, [.. Enumerable.Range(1, 100).Select(i => HostilePrimary.Record($"bulk-{i}.sec.test", DnsType.A, $"127.0.2.{i}"))]);
        var status = await Until(server, s => s.GetProperty("rejected").GetInt64() >= 1, "the transfer is refused");

        Assert.Contains("the transfer passed 1000 bytes (exchange.secondaries[].maxBytes)", status.GetProperty("lastError").GetString());
        Assert.Equal(1u, status.GetProperty("serial").GetUInt32());
        Assert.Equal(["127.0.0.80"], server.Ask("www.sec.test", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.Equal(ReturnCode.NxDomain, server.Ask("bulk-1.sec.test", DnsType.A).ReturnCode);
        Assert.Contains("geodns_secondary_transfers_rejected_total{zone=\"sec.test.\"} ", await server.Http.GetStringAsync("/metrics"));
        AssertRejectedLine(server, primary, "maxBytes");
    }

    /// <summary>
    /// Serial N + 1 adds three records at long names (g{N}-*.sec.test): each IXFR is small, well under both caps, but
    /// from serial 1 (4 records, SOA included) the zone holds 6, 9, then 12 records besides its SOA.
    /// </summary>
    private static ResourceRecord[] Growth(uint serial) =>
        [.. Enumerable.Range(1, 3).Select(i => HostilePrimary.Record($"g{serial}-{i}-a-long-name-that-takes-bytes.sec.test", DnsType.A, $"127.0.3.{serial * 3 + i}"))];

    private static List<ResourceRecord> Grown(uint serial) => [.. Sec(serial), .. Enumerable.Range(2, (int)serial - 1).SelectMany(s => Growth((uint)s))];

    public static TheoryData<string> Caps => new() { "maxRecords", "maxBytes" };

    [Theory]
    [MemberData(nameof(Caps))]
    public async Task IxfrsEachUnderTheCaps_GrowingTheZonePastOne_Refused_TheLastGoodCopyServed(string cap)
    {
        using var primary = new HostilePrimary();
        primary.Zone = Sec(1);
        // The cap lets serial 3 through and not serial 4: 10 records (9 at serial 3, 12 at 4), or the bytes of serial 3's
        // records and half a step more.
        var bytes = Grown(3).Sum(GeoDns.Updates.UpdateLimits.Size) + Growth(4).Sum(GeoDns.Updates.UpdateLimits.Size) / 2;
        await using var server = cap == "maxRecords" ? await Start(primary, maxRecords: 10) : await Start(primary, maxRecords: 1000, maxBytes: bytes);
        await Until(server, s => s.GetProperty("serial").ValueKind == JsonValueKind.Number, "the first copy is served");

        for (var serial = 2u; serial <= 4; serial++)
        {
            primary.Serve(Grown(serial), [new ZoneDelta(Sec(serial - 1)[0], [], Sec(serial)[0], Growth(serial))]);
            if (serial < 4) await Until(server, s => s.GetProperty("serial").GetUInt32() == serial, $"serial {serial} is served");
        }
        var status = await Until(server, s => s.GetProperty("rejected").GetInt64() >= 1, "the IXFR to serial 4 is refused");

        var why = cap == "maxRecords"
            ? "serial 4 would leave 12 records in the zone, above exchange.secondaries[].maxRecords (10)"
            : $"serial 4 would leave {Grown(4).Sum(GeoDns.Updates.UpdateLimits.Size)} bytes of records in the zone, above exchange.secondaries[].maxBytes ({bytes})";
        Assert.Contains(why, status.GetProperty("lastError").GetString());
        Assert.Equal(3u, status.GetProperty("serial").GetUInt32());
        Assert.Single(server.Ask("g3-1-a-long-name-that-takes-bytes.sec.test", DnsType.A).AnswerRecords);
        Assert.Equal(ReturnCode.NxDomain, server.Ask("g4-1-a-long-name-that-takes-bytes.sec.test", DnsType.A).ReturnCode);
        Assert.Contains("geodns_secondary_transfers_rejected_total{zone=\"sec.test.\"} ", await server.Http.GetStringAsync("/metrics"));
        AssertRejectedLine(server, primary, why);
    }

    /// <summary>The log line an operator reads: which zone, which primary, that the last good copy is kept, and why.</summary>
    private static void AssertRejectedLine(TestServer server, HostilePrimary primary, string why)
    {
        var prefix = $"Secondary sec.test.: transfer from {primary.Endpoint} rejected, the last good copy is kept: ";
        var line = server.Log.Split('\n').FirstOrDefault(l => l.Contains(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no rejected-transfer line in the log:\n{server.Log}");
        Assert.StartsWith("Error ", line);
        Assert.Contains(why, line);
    }

    private static Task<TestServer> Start(HostilePrimary primary, int maxRecords = 10, long? maxBytes = null) => TestServer.StartAsync(config: $$"""
        { "exchange": { "secondaries": [{ "zone": "sec.test", "primaries": ["{{primary.Endpoint}}"], "maxRecords": {{maxRecords}}{{(maxBytes is { } b ? $", \"maxBytes\": {b}" : "")}} }] } }
        """);

    private static async Task<JsonElement> Until(TestServer server, Func<JsonElement, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var zones = JsonDocument.Parse(await server.Http.GetStringAsync("/v1/zones"));
            var status = zones.RootElement.GetProperty("secondaries")[0].Clone();
            if (done(status)) return status;
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"timed out waiting until {what}: {status}");
            await Task.Delay(100);
        }
    }
}
