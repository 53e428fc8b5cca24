using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Rotations against two real GeoDns servers on loopback, with the local provider's hooks: the
/// proof is in the servers' DNS answers, not in what the sidecar believes.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly Scratch _scratch = new();
    private LocalProvider _provider = null!;
    private Nameserver _ns1 = null!, _ns2 = null!;
    private string _edge1 = "", _edge2 = "";
    private bool _disposed;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xunit does not dispose a class that failed to initialize: stop the listeners here
            throw;
        }
    }

    private async Task StartAsync()
    {
        _provider = new LocalProvider(_scratch);
        (_edge1, _edge2) = (_provider.Prefix + "11", _provider.Prefix + "12");
        await _provider.StartAsync("edge-1", _edge1);
        await _provider.StartAsync("edge-2", _edge2);
        var edges = new[] { ("edge-1", _edge1), ("edge-2", _edge2) };
        _ns1 = await Nameserver.StartAsync(_provider.Port, edges);
        _ns2 = await Nameserver.StartAsync(_provider.Port, edges);
        // A first probe can time out while a server is still starting (two cores, JIT); such an
        // edge is back within two probe intervals. The tests are about rotations, so they start from there.
        await FakeSidecar.Until(() => Answered(_ns1, _edge1, _edge2) && Answered(_ns2, _edge1, _edge2), "both edges in both answers");
    }

    private static bool Answered(Nameserver ns, params string[] addresses) => ns.Addresses().SequenceEqual(addresses.Order(StringComparer.Ordinal));

    private SidecarOptions Options(Action<SidecarOptions>? adjust = null)
    {
        var options = new SidecarOptions
        {
            Nameservers = [_ns1.AdminUri.ToString(), _ns2.AdminUri.ToString()],
            AdminToken = Nameserver.AdminToken,
            Pool = "app.example.com",
            WireguardDir = _scratch["wg"],
            Data = _scratch["data"],
            // What the real apply (wg syncconf) is handed: a file holding peers and none of wg-quick's keys.
            Apply = "grep -q '^\\[Peer\\]' \"$WG_CONF\" && ! grep -Eiq '^[[:space:]]*(Address|DNS|MTU|Table|PreUp|PostUp|PreDown|PostDown|SaveConfig)[[:space:]]*=' \"$WG_CONF\"",
            Hooks = new()
            {
                Create = LocalProvider.Hook("create"),
                Provision = LocalProvider.Hook("provision"),
                Destroy = LocalProvider.Hook("destroy"),
                Timeout = TimeSpan.FromSeconds(20),
                Environment = _provider.Environment,
            },
            Rotation = new()
            {
                PollInterval = TimeSpan.FromMilliseconds(200),
                UpTimeout = TimeSpan.FromSeconds(20),
                PoolTtl = TimeSpan.FromMilliseconds(500),
                DrainMargin = TimeSpan.FromMilliseconds(500),
                DrainPeriod = TimeSpan.FromSeconds(1),
                Retries = 1,
                RetryDelay = TimeSpan.FromMilliseconds(100),
            },
            Edges = [new EdgeHost { Name = "edge-1", Ipv4 = _edge1 }, new EdgeHost { Name = "edge-2", Ipv4 = _edge2 }],
        };
        adjust?.Invoke(options);
        return options;
    }

    private static SidecarSession Open(SidecarOptions options)
    {
        var opened = SidecarSession.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(opened.Ok, opened.Error);
        opened.Value!.GenerateKeys = KeyPair.GenerateWithNSec;
        return opened.Value;
    }

    private void BothAnswer(params string[] addresses)
    {
        Assert.Equal(addresses.Order(StringComparer.Ordinal), _ns1.Addresses());
        Assert.Equal(addresses.Order(StringComparer.Ordinal), _ns2.Addresses());
    }

    [Fact]
    public async Task RotateByHand_NewEdgeAnsweredByBothNameservers_OldOneGone()
    {
        BothAnswer(_edge1, _edge2);
        using var session = Open(Options());

        var rotated = await session.Engine.RotateAsync("edge-2", "test");

        Assert.True(rotated.Ok, rotated.Error);
        var fresh = rotated.Value!.NewEdge!.Ipv4!;
        Assert.StartsWith(_provider.Prefix, fresh);
        BothAnswer(_edge1, fresh);
        Assert.True(_ns1.IsDrained("edge-2") && _ns2.IsDrained("edge-2"));
        Assert.Equal(3, _provider.Log("created.log").Length); // edge-1, edge-2, and one new VPS
        Assert.Equal(["edge-2 " + _edge2], _provider.Log("destroyed.log"));
        Assert.False(_provider.Accepts(_edge2)); // the old "VPS" is really gone
        var status = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(session, status));
        Assert.Contains("#1 edge-2 -> edge-2-r1: Completed at Done", status.ToString());
    }

    [Fact]
    public async Task KilledMidRotation_Resumed_ExactlyOneNewVps()
    {
        var options = Options(o => o.Rotation.DrainPeriod = TimeSpan.FromSeconds(2));
        using (var first = Open(options))
        {
            var rotation = first.Engine.Prepare("edge-2", "test").Value!;
            var stopped = await first.Engine.RunAsync(rotation, stopBefore: RotationStep.AddToPool);
            Assert.Equal(RotationStep.AddToPool, stopped.Step);
        } // killed between steps, after create, provision and the new peer

        string joined;
        using (var second = Open(options))
        using (var kill = new CancellationTokenSource())
        {
            var rotation = second.Engine.Prepare("edge-2", "test").Value!;
            var running = second.Engine.RunAsync(rotation, cancel: kill.Token);
            await FakeSidecar.Until(() => second.Journal.Find(rotation.Id)!.Step == RotationStep.WaitDrain, "the drain");
            kill.Cancel(); // killed in the middle of a step
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            joined = second.Journal.Find(rotation.Id)!.NewEdge!.Ipv4!;
        }
        BothAnswer(_edge1, joined);
        Assert.True(_provider.Accepts(_edge2)); // drained, not destroyed: it still serves those who hold its address

        using var third = Open(options);
        var resumed = await third.Engine.RotateAsync("edge-2", "test");

        Assert.True(resumed.Ok, resumed.Error);
        Assert.Equal(1, resumed.Value!.Id);
        Assert.Equal(3, _provider.Log("created.log").Length); // edge-1, edge-2, and one new VPS across three sidecars
        Assert.Equal(joined, resumed.Value.NewEdge!.Ipv4);
        BothAnswer(_edge1, joined);
        Assert.False(_provider.Accepts(_edge2));
    }

    [Fact]
    public async Task Bootstrap_EdgeListedByCountry_BoughtProvisionedAndAnsweredByBothNameservers()
    {
        var options = Options(o => o.Edges.Add(new EdgeHost { Name = "edge-3", Country = "DE" }));
        using var session = Open(options);
        var output = new StringWriter();

        var code = await BootstrapCommand.RunAsync(session, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        var bought = session.Inventory.Find("edge-3")!.Host.Ipv4!;
        Assert.StartsWith(_provider.Prefix, bought);
        BothAnswer(_edge1, _edge2, bought);
        Assert.Equal(3, _provider.Log("provisioned.log").Length); // every serving edge, the two that existed too
        Assert.Contains("bootstrap: 3 edges Up on 2 nameservers", output.ToString());

        // Run again (after a failure, say): nothing is bought twice.
        Assert.Equal(0, await BootstrapCommand.RunAsync(session, new StringWriter(), CancellationToken.None));
        Assert.Equal(3, _provider.Log("created.log").Length);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("provision")]
    public async Task FailingHook_OldEdgeStillServes_StatusSaysWhy(string failing)
    {
        using var session = Open(Options(o =>
        {
            if (failing == "create") o.Hooks.Create = "echo 'no capacity in fsn1' >&2; exit 1";
            else o.Hooks.Environment["LOCAL_PROVISION_FAIL"] = "1";
        }));

        var rotated = await session.Engine.RotateAsync("edge-2", "test");

        Assert.False(rotated.Ok);
        Assert.Equal(failing == "create" ? RotationStep.Create : RotationStep.Provision, rotated.Value!.Step);
        BothAnswer(_edge1, _edge2);
        Assert.False(_ns1.IsDrained("edge-2") || _ns2.IsDrained("edge-2"));
        var status = new StringWriter();
        Assert.Equal(1, StatusCommand.Run(session, status));
        Assert.Contains(failing == "create" ? "create hook failed: exit 1: no capacity in fsn1" : "provision hook failed: exit 1: provision of edge-2-r1 failed", status.ToString());
        Assert.Contains("the old edge edge-2 still serves", status.ToString());
    }

    [Fact]
    public async Task Daemon_AnEdgeDiesAndComesBack_AndIsRotated_TheWebhookHearsEachOnce()
    {
        using var hook = new GeoDns.Testing.HttpReceiver();
        using var session = Open(Options(o =>
        {
            (o.Token, o.Listen, o.FirewallCheck) = ("sidecar-token", "127.0.0.1:0", "");
            o.TunnelCheck = new() { Command = "" };
            o.Rotation.DownFor = TimeSpan.Zero; // this test rotates by hand
            o.Alerts.GroupWindow = TimeSpan.FromMilliseconds(300);
            o.Alerts.Channels.Add(new GeoDns.Alerts.AlertChannelOptions { Type = GeoDns.Alerts.AlertChannelType.Webhook, Url = hook.Url() });
        }));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var daemon = new Daemon.SidecarDaemon(session, NullLoggerFactory.Instance);
        var running = daemon.RunAsync(stop.Token);
        var endpoint = await daemon.Address.WaitAsync(TimeSpan.FromSeconds(10));
        string Heard() => string.Join("\n", hook.Requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()));
        async Task HearAsync(string line)
        {
            try
            {
                await FakeSidecar.Until(() => Heard().Contains(line, StringComparison.Ordinal), $"the webhook hearing '{line}'", 30_000);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; heard: {Heard()}");
            }
        }

        var destroy = await ShellCommand.RunAsync(LocalProvider.Hook("destroy"), new Dictionary<string, string>(_provider.Environment) { ["EDGE_NAME"] = "edge-2" }, TimeSpan.FromSeconds(20), TimeProvider.System);
        Assert.True(destroy.Succeeded, destroy.Describe());
        await HearAsync("WARNING edge-2 is Down on every nameserver");
        await _provider.StartAsync("edge-2", _edge2);
        await HearAsync("RESOLVED edge-2 is Up again");

        using var http = new HttpClient { BaseAddress = new Uri(endpoint) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sidecar-token");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsync("/v1/rotate/edge-2", null)).StatusCode);
        await HearAsync("INFO rotation #1 started: edge-2 is replaced by edge-2-r1");
        await HearAsync("INFO rotation #1 finished: edge-2-r1 serves in place of edge-2");

        var heard = Heard();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(heard, "WARNING edge-2 is Down on every nameserver"));
        Assert.DoesNotContain("disagree", heard, StringComparison.Ordinal);
        // The receiver hears a message when its request arrives; the log says Sent once the reply is back, a moment later.
        await FakeSidecar.Until(() => daemon.AlertLog.Recent(20).All(r => r.Deliveries.Count == 1 && r.Deliveries[0].Status == GeoDns.Alerts.DeliveryStatus.Sent),
            "every alert recorded as sent");
        Assert.All(daemon.AlertLog.Recent(20), record => Assert.Equal(GeoDns.Alerts.DeliveryStatus.Sent, Assert.Single(record.Deliveries).Status));
        await stop.CancelAsync();
        await running;
    }

    public async Task DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ns1 is not null) await _ns1.DisposeAsync();
        if (_ns2 is not null) await _ns2.DisposeAsync();
        _provider?.Dispose();
        _scratch.Dispose();
    }
}
