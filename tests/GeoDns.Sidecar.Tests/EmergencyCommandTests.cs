using System.Text.RegularExpressions;
using GeoDns.Contracts;
using GeoDns.Sidecar.Cli;
using GeoDns.Sidecar.Commands;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>geodns-sidecar emergency on|off</c> on its command line against two real GeoDns servers on loopback: the proof is
/// in both servers' DNS answers. A nameserver that does not answer is named, the other is switched all the same, and the
/// exit is 1 with the command to repeat. <c>check</c> and <c>status</c> show a switch that is on.
/// </summary>
public sealed class EmergencyCommandTests
{
    private static string Config(Scratch scratch, params string[] nameservers)
    {
        File.WriteAllText(scratch["sidecar.json"], $$"""
            {
              "nameservers": [ {{string.Join(", ", nameservers.Select(n => $"\"{n}\""))}} ],
              "adminToken": "{{Nameserver.AdminToken}}",
              "pool": "app.example.com",
              "data": "{{scratch["data"]}}",
              "rotation": { "retries": 1, "retryDelay": "100ms", "adminTimeout": "2s" }
            }
            """);
        return scratch["sidecar.json"];
    }

    private static async Task<(int Code, string Output, string Error)> Invoke(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await new SidecarCommandLine().InvokeAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<(LocalProvider Provider, string Edge)> EdgeAsync(Scratch scratch)
    {
        var provider = new LocalProvider(scratch);
        var edge = provider.Prefix + "11";
        await provider.StartAsync("edge-1", edge);
        return (provider, edge);
    }

    [Fact]
    public async Task OnThenOff_BothNameserversAnswerTheEmergencyCname_ThenTheirEdge()
    {
        using var scratch = new Scratch();
        var (provider, edge) = await EdgeAsync(scratch);
        using var edges = provider;
        await using var ns1 = await Nameserver.StartAsync(provider.Port, ("edge-1", edge));
        await using var ns2 = await Nameserver.StartAsync(provider.Port, ("edge-1", edge));
        await FakeSidecar.Until(() => ns1.Addresses().SequenceEqual([edge]) && ns2.Addresses().SequenceEqual([edge]), "edge-1 in both answers");
        var config = Config(scratch, ns1.AdminUri.ToString(), ns2.AdminUri.ToString());

        var (on, onOutput, onError) = await Invoke("--config", config, "emergency", "on", "--reason", "lab drill");

        Assert.True(on == 0, onOutput + onError);
        Assert.Equal([Nameserver.EmergencyCname], ns1.Answer());
        Assert.Equal([Nameserver.EmergencyCname], ns2.Answer());
        Assert.Equal(2, Regex.Count(onOutput, @"(?m)^ok    http://127\.0\.0\.1:\d+: emergency answer on for app\.example\.com since [\d-]+ [\d:]+ UTC \(lab drill\): answering app\.example\.com\. 1 IN CNAME maintenance\.example\.net\.$"));
        Assert.Contains("every nameserver answers app.example.com with its emergency records; resolvers follow within its degradedTtl. `geodns-sidecar emergency off` ends it", onOutput);
        // status asks the nameservers too, beside whatever holds the state.
        var options = SidecarOptions.Load(config, out var problem);
        Assert.True(options is not null, problem);
        var status = await StatusCommand.EmergencyAsync(options, CancellationToken.None);
        Assert.All(status!, e => Assert.Equal((true, "lab drill"), (e.On, e.Reason)));

        var (off, offOutput, offError) = await Invoke("--config", config, "emergency", "off");

        Assert.True(off == 0, offOutput + offError);
        Assert.Equal([edge], ns1.Addresses());
        Assert.Equal([edge], ns2.Addresses());
        Assert.Equal(2, Regex.Count(offOutput, "(?m)^ok    .*: emergency answer off for app.example.com: answering its edges$"));
    }

    [Fact]
    public async Task OneNameserverDoesNotAnswer_TheOtherSwitched_Exit1_SaysWhatToRepeat()
    {
        using var scratch = new Scratch();
        var (provider, edge) = await EdgeAsync(scratch);
        using var edges = provider;
        await using var ns1 = await Nameserver.StartAsync(provider.Port, ("edge-1", edge));
        var dead = $"http://127.0.0.1:{FreePort.Pick()}/";
        var config = Config(scratch, ns1.AdminUri.ToString(), dead);

        var (code, output, _) = await Invoke("--config", config, "emergency", "on");

        Assert.Equal(1, code);
        Assert.Matches("(?m)^ok    http://127.0.0.1:\\d+: emergency answer on for app.example.com since .* \\(turned on by hand \\(geodns-sidecar emergency on\\)\\)", output);
        Assert.Matches($"(?m)^FAIL  {Regex.Escape(dead.TrimEnd('/'))}: ", output);
        Assert.Contains("1 of 2 nameservers did not follow, and answer app.example.com differently from the others: `geodns-sidecar emergency on` again once they answer (repeating is safe)", output);
        Assert.Equal([Nameserver.EmergencyCname], ns1.Answer());
    }

    [Fact]
    public async Task UnknownPool_EachNameserverSaysSo_Exit1()
    {
        using var scratch = new Scratch();
        var (provider, edge) = await EdgeAsync(scratch);
        using var edges = provider;
        await using var ns1 = await Nameserver.StartAsync(provider.Port, ("edge-1", edge));

        var (code, output, _) = await Invoke("--config", Config(scratch, ns1.AdminUri.ToString()), "emergency", "on", "--pool", "shop.example.com");

        Assert.Equal(1, code);
        Assert.Contains("turning the emergency answer of shop.example.com on: 404 Not Found: {", output);
        Assert.Contains("no pool named 'shop.example.com'", output);
        Assert.Contains("`geodns-sidecar emergency on --pool shop.example.com` again", output);
    }

    [Fact]
    public async Task Check_WhileOn_TheEmergencyLineFails_ThePoolAnswersPassAsTheEmergencyRecords_OffAllPass()
    {
        await using var fleet = await CheckFleet.StartAsync();
        var options = fleet.Options();
        var output = new StringWriter();
        Assert.Equal(0, await EmergencyCommand.RunAsync(options, true, null, "attack", output, output, CancellationToken.None));

        var results = await fleet.CheckAsync(options);

        var failed = Assert.Single(results, r => !r.Ok);
        Assert.Equal("emergency answer of app.edge.example.com", failed.Check);
        Assert.Matches("^on at ns1, ns2: since .* UTC \\(attack\\): answering app.edge.example.com. 1 IN CNAME maintenance.example.net.; the pool's edges are not answered$", failed.Detail);
        Assert.Equal("`geodns-sidecar emergency off` (or the fleet panel's Emergency off) once the edges can serve again", failed.Fix);
        Assert.Contains(results, r => r.Check == "pool app.edge.example.com at ns1 (127.0.0.1)" && r.Detail == "the emergency answer: app.edge.example.com. 1 IN CNAME maintenance.example.net.");

        Assert.Equal(0, await EmergencyCommand.RunAsync(options, false, null, null, output, output, CancellationToken.None));
        Assert.All(await fleet.CheckAsync(options), r => Assert.True(r.Ok, r.Line()));
    }

    [Fact]
    public void StatusLine_OnlyWhileOn_NamesWhereAndHowToEndIt()
    {
        var options = new SidecarOptions { Pool = "app.example.com" };
        var since = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        string[] records = ["app.example.com. 5 IN CNAME maintenance.example.net."];
        var on = new StringWriter();
        var off = new StringWriter();

        StatusCommand.WriteEmergency(on, options, [new("ns1", true, since, "attack", records, null), new("ns2", false, null, null, records, null)]);
        StatusCommand.WriteEmergency(off, options, [new("ns1", false, null, null, records, null), new("ns2", null, null, null, [], "no answer")]);

        Assert.Equal("Emergency answer ON for app.example.com since 2026-03-01 12:00:00 UTC (attack) on ns1 (off on ns2): answering app.example.com. 5 IN CNAME maintenance.example.net.; " +
            "`geodns-sidecar emergency off` ends it" + Environment.NewLine, on.ToString());
        Assert.Equal("", off.ToString());
    }
}
