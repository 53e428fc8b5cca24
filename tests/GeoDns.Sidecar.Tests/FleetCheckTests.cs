using System.Diagnostics;
using System.Text.Json;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Commands;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>geodns-sidecar check</c> against real parts on loopback (<see cref="CheckFleet"/>): a parent GeoDns delegating
/// to two GeoDns nameservers, edges as TLS listeners. Each broken part fails exactly its own lines, naming the machine
/// and the record to mend.
/// </summary>
public sealed class FleetCheckTests
{
    [Fact]
    public async Task Check_HealthyDeployment_EveryCheckPasses()
    {
        await using var fleet = await CheckFleet.StartAsync();

        var results = await fleet.CheckAsync();

        Assert.All(results, r => Assert.True(r.Ok, r.Line()));
        // Issued yesterday for 90 days (60 at home): whole days left, counted down.
        Assert.Contains(results, r => r.Check == $"delegation of edge.example.com at 127.0.0.3:{fleet.DnsPort}"
            && r.Detail.Contains("ns2.edge.example.com (127.0.0.2)", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Check == "nameserver ns1 (127.0.0.1)" && r.Detail == "authoritative for edge.example.com, serial 1");
        Assert.Contains(results, r => r.Check == "pool app.edge.example.com at ns2 (127.0.0.2)" && r.Detail.Contains("edge-1 127.0.0.11", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Check == "certificate at edge-2 (127.0.0.12)" && r.Detail.Contains("88 days left", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Check == "request home through edge-1" && r.Detail.EndsWith(": 200", StringComparison.Ordinal));
        Assert.Equal(["tunnel edge-1", "tunnel edge-2", "tunnel ns1", "tunnel ns2"], results.Where(r => r.Check.StartsWith("tunnel", StringComparison.Ordinal)).Select(r => r.Check));
        Assert.Contains(results, r => r.Check == "rotations" && r.Detail.StartsWith("4 of 4 left", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Check == "home certificate" && r.Detail.Contains("58 days left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_WrongGlueAtParent_OnlyTheDelegationFailsWithTheRecordToChange()
    {
        await using var fleet = await CheckFleet.StartAsync();
        await fleet.Parent.ReloadAsync(CheckFleet.ParentZone(ns2Glue: "127.0.0.9"));

        var failed = Assert.Single(await fleet.CheckAsync(), r => !r.Ok);

        Assert.Equal($"delegation of edge.example.com at 127.0.0.3:{fleet.DnsPort}", failed.Check);
        Assert.Equal("glue for ns2.edge.example.com is 127.0.0.9; ns2 is at 127.0.0.2", failed.Detail);
        Assert.Equal("change the A record ns2.edge at the parent to 127.0.0.2", failed.Fix);
    }

    [Fact]
    public async Task Check_NameserverStopped_ItsChecksFailNamingIt_Quickly()
    {
        await using var fleet = await CheckFleet.StartAsync();
        await fleet.Ns2.StopAsync();

        var clock = Stopwatch.StartNew();
        var failed = (await fleet.CheckAsync()).Where(r => !r.Ok).ToList();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"a dead nameserver took the check {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(["admin API of ns2 (127.0.0.2)", "nameserver ns2 (127.0.0.2)", "pool app.edge.example.com at ns2 (127.0.0.2)"], failed.Select(r => r.Check));
        Assert.All(failed, r => Assert.Contains("ns2", r.Fix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_SerialMismatch_NamesTheNameserverThatLags()
    {
        await using var fleet = await CheckFleet.StartAsync();
        await fleet.Ns2.ReloadAsync(CheckFleet.Zone(serial: 2));

        var failed = Assert.Single(await fleet.CheckAsync(), r => !r.Ok);

        Assert.Equal("nameserver ns1 (127.0.0.1)", failed.Check);
        Assert.Equal("serves edge.example.com with serial 1, behind ns2 (2)", failed.Detail);
        Assert.StartsWith("ns1 lags", failed.Fix, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?> Certificates => new()
    {
        { "valid", null },
        { "wrong name", "presents a certificate for other.example.net, not app.edge.example.com" },
        { "expired", "the certificate for app.edge.example.com expired" },
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public async Task Check_EdgeCertificate_IsJudgedAsABrowserJudgesIt(string kind, string? expected)
    {
        await using var fleet = await CheckFleet.StartAsync();
        fleet.Edge1.Certificate = kind switch
        {
            "wrong name" => fleet.Certificates.Issue("other.example.net", TimeSpan.FromDays(90)),
            "expired" => fleet.Certificates.Issue(CheckFleet.Pool, TimeSpan.FromDays(20), notBefore: DateTimeOffset.UtcNow.AddDays(-25)),
            _ => fleet.Certificates.Issue(CheckFleet.Pool, TimeSpan.FromDays(10)),
        };

        var results = await fleet.CheckAsync();

        var certificate = Assert.Single(results, r => r.Check == "certificate at edge-1 (127.0.0.11)");
        if (expected is null)
        {
            // 10 days left: a warning, and still a pass.
            Assert.True(certificate.Ok, certificate.Line());
            Assert.Contains("warning: fewer than 14 days", certificate.Detail, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(certificate.Ok);
            Assert.StartsWith(expected, certificate.Detail, StringComparison.Ordinal);
            Assert.Contains("geodns-sidecar certificates", certificate.Fix, StringComparison.Ordinal);
        }
        // The request home is judged apart: the way home works whatever the certificate.
        Assert.True(Assert.Single(results, r => r.Check == "request home through edge-1").Ok);
        Assert.Equal(expected is null ? 0 : 1, results.Count(r => !r.Ok));
    }

    [Fact]
    public async Task CheckCommand_Json_PrintsTheSameResultsAsAnArrayOnly()
    {
        await using var fleet = await CheckFleet.StartAsync();
        var options = fleet.Options(handshakeAge: TimeSpan.FromMinutes(10));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CheckCommand.RunAsync(options, json: true, output, error, CancellationToken.None, fleet.Checker(options));

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output.ToString());
        var stale = json.RootElement.EnumerateArray().Single(e => e.GetProperty("check").GetString() == "tunnel edge-1");
        Assert.False(stale.GetProperty("ok").GetBoolean());
        Assert.Matches(@"^WireGuard: latest handshake 60\d s ago \(stale after 180 s\)$", stale.GetProperty("detail").GetString());
        Assert.NotNull(stale.GetProperty("fix").GetString());
        Assert.All(json.RootElement.EnumerateArray().Where(e => e.GetProperty("ok").GetBoolean()), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("fix").ValueKind));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task CheckCommand_ConfigWithoutAdminToken_IsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CheckCommand.RunAsync(new SidecarOptions { Nameservers = ["http://127.0.0.1:1"], Pool = "app.example.com" }, json: false, output, error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("adminToken", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }
}
