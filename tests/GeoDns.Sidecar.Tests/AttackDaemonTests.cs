using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.Signals;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>run</c> over fake nameservers and a fake edge's signals: an attack verdict starts a rotation with the attack as its
/// trigger, drains the attacked edge first while edge-2 keeps the pool Up, and raises <c>attack:edge-1</c>.
/// </summary>
public sealed class AttackDaemonTests : IDisposable
{
    private readonly FakeSidecar _sidecar;
    private readonly FakeEdgeSignals _edge1 = new();

    public AttackDaemonTests()
    {
        _sidecar = FakeSidecar.Create(options => options.Rotation.DownFor = TimeSpan.FromSeconds(90));
        Assert.True(_sidecar.Session.Inventory.Complete(_sidecar.Session.Tunnel, KeyPair.GenerateWithNSec).Ok);
        _sidecar.Network.Edges[$"{_sidecar.Session.Inventory.Find("edge-1")!.Tunnel}:{SignalsOptions.DefaultPort}"] = _edge1;
        // Both tunnels home handshook at the fake clock's start: fresh for the few minutes these tests span.
        var handshake = _sidecar.Time.GetUtcNow().ToUnixTimeSeconds();
        _sidecar.Options.TunnelCheck.Command = string.Join("; ", _sidecar.Session.Inventory.All().Select(e => $"printf '%s\\t%s\\n' '{e.Keys!.PublicKey}' {handshake}"));
    }

    public void Dispose() => _sidecar.Dispose();

    private RotationRecord? Rotation => _sidecar.Session.Journal.All().FirstOrDefault(r => r.OldEdge == "edge-1");

    [Fact]
    public async Task Flood_RotatesAtOnce_DrainedFirst_AlertRaised()
    {
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        for (var i = 0; i < 5; i++)
        {
            _edge1.Advance(5, requests: 20);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
        Assert.Null(Rotation);
        for (var i = 0; i < 7 && Rotation is null; i++)
        {
            _edge1.Advance(5, requests: 1500);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }

        var rotation = Rotation!;
        Assert.StartsWith("attack: flood (requests 1500/s, above the floor 200/s", rotation.Trigger); // 25 s of history: too little for a baseline
        Assert.True(rotation.DrainFirst);
        await FakeSidecar.Until(() => _sidecar.Ns1.IsDrained("edge-1") && _sidecar.Ns2.IsDrained("edge-1"), "edge-1 drained before its replacement exists");
        await FakeSidecar.Until(() => panel.Daemon.AlertLog.Firing().Contains("attack:edge-1"), "the attack:edge-1 incident");
        var attack = panel.Daemon.Fleet.AttackOn("edge-1")!;
        Assert.StartsWith($"rotating it now (rotation #{rotation.Id}", attack.Action);

        // Still flooded on the next looks: the same rotation, never a second.
        _edge1.Advance(5, requests: 1500);
        await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Single(_sidecar.Session.Journal.All());
    }

    [Fact]
    public async Task Restarted_AFloodJustAfter_JudgedAgainstTheBaselineFromBeforeTheStop()
    {
        await using (var before = await DaemonPanel.StartAsync(_sidecar))
        {
            for (var i = 0; i < 10; i++) // 50 s: under a minute, so only the stop saves them
            {
                _edge1.Advance(5, requests: 20);
                await before.AdvanceAsync(TimeSpan.FromSeconds(5));
            }
        }
        _sidecar.Restart();
        _edge1.Advance(30, requests: 20);
        _sidecar.Time.Advance(TimeSpan.FromSeconds(30));

        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        Assert.Equal(11, panel.Daemon.Fleet.Edges.Single(e => e.Name == "edge-1").Signals!.History.Count); // the 10 points from before the stop, and one across the 30 s away
        for (var i = 0; i < 8 && Rotation is null; i++)
        {
            _edge1.Advance(5, requests: 1500);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
        Assert.StartsWith("attack: flood (requests 1500/s, 75× baseline 20/s, for 30 s)", Rotation?.Trigger);
    }

    [Fact]
    public async Task Unreachable_DownOnTheNameservers_TunnelFresh_RotatedBeforeDownFor()
    {
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        _sidecar.Ns1.States["edge-1"] = "Down";
        _sidecar.Ns2.States["edge-1"] = "Down";
        for (var i = 0; i < 8 && Rotation is null; i++)
        {
            _edge1.Advance(5, requests: 2);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }

        var rotation = Rotation!;
        Assert.Equal("attack: unreachable from the world", rotation.Trigger);
        Assert.True(_sidecar.Time.GetUtcNow() - rotation.Started < TimeSpan.FromSeconds(1));
        Assert.True(rotation.Started - DateTimeOffset.Parse("2026-03-01T12:00:00Z") <= TimeSpan.FromSeconds(30)); // 20 s, not downFor's 90
        await FakeSidecar.Until(() => panel.Daemon.AlertLog.Firing().Contains("attack:edge-1"), "the attack:edge-1 incident");
    }

    [Fact]
    public async Task AlertPolicy_AlertsOnly()
    {
        _sidecar.Options.Attack.Policy.Unreachable = Daemon.AttackAction.Alert;
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        _sidecar.Ns1.States["edge-1"] = "Down";
        _sidecar.Ns2.States["edge-1"] = "Down";
        for (var i = 0; i < 6; i++)
        {
            _edge1.Advance(5, requests: 2);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
        Assert.Null(Rotation);
        var fleet = panel.Daemon.Fleet;
        Assert.Equal("alert only (attack.policy.unreachable)", fleet.AttackOn("edge-1")?.Action);
        var document = Daemon.FleetDocument.Of(fleet, [], [], _sidecar.Options);
        Assert.Equal(("unreachable", "unreachable from the world"), document.Edges.Single(e => e.Name == "edge-1").Attack is { } a ? (a.Kind, a.Summary) : default);
        Assert.Null(document.Edges.Single(e => e.Name == "edge-2").Attack);
        var metrics = PrometheusText.Parse(Daemon.SidecarMetrics.Write(_sidecar.Session, fleet, 0, panel.Daemon.AlertLog));
        Assert.Equal((1.0, 0.0, 0.0), (metrics.Value("geodns_sidecar_edge_attack", ("edge", "edge-1"), ("kind", "unreachable")),
            metrics.Value("geodns_sidecar_edge_attack", ("edge", "edge-1"), ("kind", "flood")), metrics.Value("geodns_sidecar_edge_attack", ("edge", "edge-2"), ("kind", "unreachable"))));
        await FakeSidecar.Until(() => panel.Daemon.AlertLog.Firing().Contains("attack:edge-1"), "the attack:edge-1 incident");
    }

    [Fact]
    public async Task TightenPolicy_HookBansTheSources_AgainWhileItHolds_RotatedOnceItOutlastsEscalateAfter()
    {
        TightenWith($"printf '%s|%s|%s|%s|%s\\n' \"$EDGE_NAME\" \"$EDGE_TUNNEL\" \"$ATTACK_SOURCES\" \"$ATTACK_BAN_SECONDS\" \"$ATTACK_COUNTRIES\" >> '{_sidecar.Scratch["tightened"]}'");
        _sidecar.Options.Attack.Tighten.Countries.Add("zz");
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        await FloodUntil(panel, () => _sidecar.Log("tightened").Length > 0);

        var tunnel = _sidecar.Session.Inventory.Find("edge-1")!.Tunnel;
        Assert.Equal($"edge-1|{tunnel}|198.51.100.66 198.51.100.67|600|ZZ", Assert.Single(_sidecar.Log("tightened")));
        Assert.Null(Rotation);
        await Flood(panel, 1);
        Assert.Equal("tightened (hooks.tighten: 2 sources banned and stricter limits for 10 min); rotated if still flooded 1 min after the first",
            panel.Daemon.Fleet.AttackOn("edge-1")?.Action);
        await FakeSidecar.Until(() => panel.Daemon.AlertLog.Firing().Contains("attack:edge-1"), "the attack:edge-1 incident");

        // attack.sustain (30 s) on, the flood holds: the hook runs again, extending the ban.
        await Flood(panel, 6);
        await FakeSidecar.Until(() => _sidecar.Log("tightened").Length == 2, "the second run of the tighten hook");
        Assert.Null(Rotation);

        // A minute after the first run and still flooded: rotated, once.
        for (var i = 0; i < 8 && Rotation is null; i++) await Flood(panel, 1);
        Assert.StartsWith("attack: flood (requests 1500/s", Rotation!.Trigger);
        Assert.StartsWith($"tightened 1 min ago and still flooded: rotating it now (rotation #{Rotation.Id}", panel.Daemon.Fleet.AttackOn("edge-1")?.Action);
        await Flood(panel, 2);
        Assert.Single(_sidecar.Session.Journal.All());
    }

    [Fact]
    public async Task TightenPolicy_HookFails_RotatedAtOnce()
    {
        TightenWith("echo 'nft: permission denied' >&2; exit 3");
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        await FloodUntil(panel, () => Rotation is not null);
        var attack = panel.Daemon.Fleet.AttackOn("edge-1")!;
        Assert.StartsWith("tighten hook failed (tighten hook failed: exit 3", attack.Action);
        Assert.Contains("nft: permission denied", attack.Action);
        Assert.Contains($": rotating it now (rotation #{Rotation!.Id}", attack.Action);
    }

    [Fact]
    public void TightenPolicy_WithoutTheHook_IsAConfigProblem()
    {
        _sidecar.Options.Attack.Policy.Flood = Daemon.AttackAction.Tighten;
        Assert.Contains(_sidecar.Options.Problems(), p => p.StartsWith("attack.policy.flood: tighten needs hooks.tighten (hooks.tighten is not set)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoEmergency_EveryEdgeUnderAttack_SwitchOn_OffOnceCalm_AHandSwitchIsLeftAlone()
    {
        var edge2 = new FakeEdgeSignals();
        _sidecar.Network.Edges[$"{_sidecar.Session.Inventory.Find("edge-2")!.Tunnel}:{SignalsOptions.DefaultPort}"] = edge2;
        _sidecar.Options.Attack.AutoEmergency = true;
        _sidecar.Options.Attack.AutoEmergencyOffAfter = TimeSpan.FromSeconds(30);
        _sidecar.Options.Attack.Policy.Flood = Daemon.AttackAction.Alert;
        await using var panel = await DaemonPanel.StartAsync(_sidecar);
        async Task Look(double edge1, double edge2Requests)
        {
            _edge1.Advance(5, requests: edge1);
            edge2.Advance(5, requests: edge2Requests);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
        for (var i = 0; i < 5; i++) await Look(20, 20);
        for (var i = 0; i < 8; i++) await Look(1500, 20); // one edge flooded: the other still answers well
        Assert.NotNull(panel.Daemon.Fleet.AttackOn("edge-1"));
        Assert.Null(_sidecar.Ns1.Emergency);

        for (var i = 0; i < 8 && _sidecar.Ns2.Emergency is null; i++) await Look(1500, 1500);
        Assert.Equal(Daemon.AutoEmergency.Reason, _sidecar.Ns1.Emergency?.Reason);
        Assert.Equal(Daemon.AutoEmergency.Reason, _sidecar.Ns2.Emergency?.Reason);
        Assert.Null(Rotation); // attack.policy.flood: alert

        for (var i = 0; i < 3; i++) await Look(20, 20); // calm, but not yet for 30 s
        Assert.NotNull(_sidecar.Ns1.Emergency);
        for (var i = 0; i < 6 && _sidecar.Ns1.Emergency is not null; i++) await Look(20, 20);
        Assert.Null(_sidecar.Ns1.Emergency);
        Assert.Null(_sidecar.Ns2.Emergency);

        // Turned on by hand: the operator's to end, however calm.
        _sidecar.Ns1.Emergency = _sidecar.Ns2.Emergency = (DateTimeOffset.UtcNow, "turned on by hand (geodns-sidecar emergency on)");
        for (var i = 0; i < 10; i++) await Look(20, 20);
        Assert.NotNull(_sidecar.Ns1.Emergency);
    }

    private void TightenWith(string hook)
    {
        _sidecar.Options.Attack.Policy.Flood = Daemon.AttackAction.Tighten;
        _sidecar.Options.Attack.Tighten.EscalateAfter = TimeSpan.FromMinutes(1);
        _sidecar.Options.Hooks.Tighten = hook;
        _edge1.Sources = [("198.51.100.66", 6000), ("198.51.100.67", 900), ("203.0.113.9", 20)];
    }

    /// <summary>25 s of a quiet edge, then a flood of 1,500 requests a second until <paramref name="done"/> (at most 3 min).</summary>
    private async Task FloodUntil(DaemonPanel panel, Func<bool> done)
    {
        for (var i = 0; i < 5; i++)
        {
            _edge1.Advance(5, requests: 20);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
        for (var i = 0; i < 36 && !done(); i++)
        {
            await Flood(panel, 1);
            // The hook runs beside the daemon's look, in real time: give it the moment it needs.
            if (i >= 6) await Task.Delay(50);
        }
        Assert.True(done(), "not reached within 3 minutes of flood");
    }

    private async Task Flood(DaemonPanel panel, int looks)
    {
        for (var i = 0; i < looks; i++)
        {
            _edge1.Advance(5, requests: 1500);
            await panel.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
    }
}
