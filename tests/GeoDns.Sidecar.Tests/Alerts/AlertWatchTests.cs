using GeoDns.Alerts;
using GeoDns.Sidecar.Check;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Sidecar.Tests.Alerts;

/// <summary>
/// Which fleet states become alerts, on snapshots written by hand and the fake clock: each condition raised once and
/// resolved with what is so now, the ones that need time pending meanwhile, rotations announced as they go, and the
/// incidents kept in a real state file across a restart.
/// </summary>
public sealed class AlertWatchTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly Recording _channel = new();
    private readonly SidecarOptions _options = new() { Pool = "app.example.com" };
    private readonly AlertDispatcher _alerts;
    private readonly AlertWatch _watch;

    public AlertWatchTests()
    {
        _alerts = new AlertDispatcher("geodns-sidecar", _options.Alerts, [_channel], new MemoryAlertLog(), _time);
        _watch = new AlertWatch(_options, _alerts);
    }

    private sealed class Recording : IAlertChannel
    {
        public string Label => "hook";
        public List<Alert> Sent { get; } = [];

        public Task SendAsync(AlertMessage message, CancellationToken cancel)
        {
            lock (Sent) Sent.AddRange(message.Alerts);
            return Task.CompletedTask;
        }
    }

    private static EdgeOpinion View(string ns, string state) => new(ns, state, state == "Up", false, Start, 60, null, "api");

    private static EdgeSight Edge(string name, string ns1, string ns2, DateTimeOffset? disagreeingSince = null, TunnelState? tunnel = null, string? role = "Serving") =>
        new(name, role, "DE", [View("ns1", ns1), View("ns2", ns2)], disagreeingSince, tunnel);

    private static NameserverSight Ns(string name, string? error = null, DateTimeOffset? since = null, params string[] warnings) =>
        new(name, $"http://{name}:8053/", error, since, error is null ? "ready" : null, "1.0.0", warnings);

    private FleetSnapshot Fleet(IReadOnlyList<EdgeSight>? edges = null, IReadOnlyList<NameserverSight>? nameservers = null, int budgetLeft = 4, IReadOnlyList<RotationRecord>? rotations = null) =>
        new(_time.GetUtcNow(), nameservers ?? [Ns("ns1"), Ns("ns2")], edges ?? [Edge("edge-1", "Up", "Up"), Edge("edge-2", "Up", "Up")], null, budgetLeft, 4, rotations ?? []);

    private async Task<List<string>> SentAsync()
    {
        await _alerts.FlushAsync();
        lock (_channel.Sent)
        {
            var lines = _channel.Sent.Select(a => a.Line).ToList();
            _channel.Sent.Clear();
            return lines;
        }
    }

    [Fact]
    public async Task AnEdgeDownOnEveryNameserver_IsRaisedOnce_AndItsReturnResolved()
    {
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Down", "Down")]));
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Down", "Down")]));
        var raised = Assert.Single(await SentAsync());
        Assert.StartsWith("WARNING edge-2 is Down on every nameserver: ns1: Down; ns2: Down", raised);

        _watch.Judge(Fleet());
        Assert.Equal(["RESOLVED edge-2 is Up again: ns1: Up; ns2: Up"], await SentAsync());
    }

    [Fact]
    public async Task EmergencyAnswerOn_OneAlertForTheFleet_NotOnePerNameserver_ResolvedOnceOffEverywhere()
    {
        var warning = new GeoDns.Contracts.EmergencyView("app.example.com", true, Start, "under attack", ["app.example.com. 5 IN CNAME maintenance.example.net."]).Warning();

        _watch.Judge(Fleet(nameservers: [Ns("ns1", warnings: warning), Ns("ns2", warnings: warning)]));
        _watch.Judge(Fleet(nameservers: [Ns("ns1", warnings: warning), Ns("ns2", warnings: warning)]));
        Assert.Equal(["WARNING emergency answer on for app.example.com: on ns1, ns2: emergency answer on since 2026-12-07 08:00:00 UTC (under attack): " +
            "answering app.example.com. 5 IN CNAME maintenance.example.net. instead of its edges; `geodns-sidecar emergency off` ends it"], await SentAsync());

        // Off on ns1, ns2 not answering: it may still be on there, so nothing is resolved yet.
        _watch.Judge(Fleet(nameservers: [Ns("ns1"), Ns("ns2", "connection refused", _time.GetUtcNow())]));
        Assert.DoesNotContain(await SentAsync(), l => l.Contains("emergency", StringComparison.Ordinal));

        _watch.Judge(Fleet());
        Assert.Equal(["RESOLVED emergency answer off for app.example.com: every nameserver answers its edges again"], await SentAsync());
    }

    [Fact]
    public async Task EveryServingEdgeDown_IsAlsoThePoolDown()
    {
        _watch.Judge(Fleet([Edge("edge-1", "Down", "Down"), Edge("edge-2", "Down", "Down")]));
        var sent = await SentAsync();
        Assert.Contains(sent, l => l.StartsWith("CRITICAL no edge of app.example.com is Up", StringComparison.Ordinal));
        Assert.Equal(3, sent.Count);
    }

    [Fact]
    public async Task ADisagreement_IsPendingUntilDisagreeAfter_ThenRaised_AndResolvedWhenTheyAgree()
    {
        var since = _time.GetUtcNow();
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Down", since)]));
        _time.Advance(TimeSpan.FromSeconds(119));
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Down", since)]));
        Assert.Empty(await SentAsync());

        _time.Advance(TimeSpan.FromSeconds(1));
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Down", since)]));
        Assert.Equal(["WARNING the nameservers disagree about edge-1: ns1: Up; ns2: Down, for 2 min: resolvers get different answers from each"], await SentAsync());

        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up")]));
        Assert.Equal(["RESOLVED the nameservers agree about edge-1 again: ns1: Up; ns2: Up"], await SentAsync());
    }

    [Fact]
    public async Task AnUnreachableNameserver_IsRaisedAfterUnreachableAfter_ItsWarningsHeldMeanwhile()
    {
        _watch.Judge(Fleet(nameservers: [Ns("ns1", warnings: "zone example.com: reload failed: db.example.com:7: bad TTL; its previous version (serial 5) is served"), Ns("ns2")]));
        Assert.Equal(["WARNING ns1: zone example.com: reload failed: db.example.com:7: bad TTL; its previous version (serial 5) is served"], await SentAsync());

        var since = _time.GetUtcNow();
        _watch.Judge(Fleet(nameservers: [Ns("ns1", "connection refused", since), Ns("ns2")]));
        _time.Advance(TimeSpan.FromSeconds(30));
        _watch.Judge(Fleet(nameservers: [Ns("ns1", "connection refused", since), Ns("ns2")]));
        Assert.Empty(await SentAsync()); // not yet a minute, and its zone's failure neither cleared nor raised again

        _time.Advance(TimeSpan.FromSeconds(30));
        _watch.Judge(Fleet(nameservers: [Ns("ns1", "connection refused", since), Ns("ns2")]));
        Assert.Equal(["CRITICAL ns1 does not answer the home: connection refused, for 1 min; it may still answer DNS, but the home cannot see or change it"], await SentAsync());

        _watch.Judge(Fleet());
        Assert.Equal(["RESOLVED ns1 answers the home again", "RESOLVED ns1: zone example.com: cleared"], (await SentAsync()).Order().ToList());
    }

    [Fact]
    public async Task Rotations_AreAnnouncedAsTheyGo_AFailureIsAnIncident_AndASpentBudgetToo()
    {
        RotationRecord Rotation(int id, RotationStatus status, RotationStep step = RotationStep.Create, string? error = null) =>
            new() { Id = id, OldEdge = "edge-2", NewName = $"edge-2-r{id}", Trigger = "down for 00:05:00", Status = status, Step = step, Error = error, Started = Start };

        _watch.Judge(Fleet(rotations: [Rotation(1, RotationStatus.Completed)]));
        Assert.Empty(await SentAsync()); // what ended before this daemon started is not news

        _watch.Judge(Fleet(rotations: [Rotation(2, RotationStatus.Running), Rotation(1, RotationStatus.Completed)]));
        _watch.Judge(Fleet(rotations: [Rotation(2, RotationStatus.Failed, RotationStep.WaitUp, "edge-2-r2 not Up on ns2 within 15 min"), Rotation(1, RotationStatus.Completed)], budgetLeft: 0));
        var sent = await SentAsync();
        Assert.Equal(3, sent.Count);
        Assert.Equal("INFO rotation #2 started: edge-2 is replaced by edge-2-r2: trigger: down for 00:05:00", sent[0]);
        Assert.Contains("CRITICAL rotation #2 of edge-2 failed at WaitUp: edge-2-r2 not Up on ns2 within 15 min; the old edge still serves; `geodns-sidecar rotate edge-2` retries it", sent);
        Assert.Contains(sent, l => l.StartsWith("CRITICAL the daily rotation budget is spent", StringComparison.Ordinal));

        _watch.Judge(Fleet(rotations: [Rotation(3, RotationStatus.Completed), Rotation(2, RotationStatus.Completed)], budgetLeft: 1));
        sent = await SentAsync();
        Assert.Contains("INFO rotation #3 finished: edge-2-r3 serves in place of edge-2: trigger: down for 00:05:00", sent);
        Assert.Contains("RESOLVED edge-2 is no longer in a failed rotation: retried, or rotated since", sent);
        Assert.Contains("RESOLVED the daily rotation budget has room again: 1 of 4 left", sent);
    }

    [Fact]
    public async Task TunnelsAndCertificates_BelowTheirLimits_AreRaised_AndAGoneEdgeResolvesAsGone()
    {
        var stale = new TunnelState(true, "WireGuard: latest handshake 200 s ago (stale after 180 s)");
        var expiring = new HomeCertificate("/etc/letsencrypt/live/app/fullchain.pem", "app.example.com", Start.AddDays(9.5), null);
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Up", "Up", tunnel: stale)]) with { Certificate = expiring });
        var sent = await SentAsync();
        Assert.Contains("WARNING the tunnel home from edge-2 is down: WireGuard: latest handshake 200 s ago (stale after 180 s); the nameservers are told to leave it out of the answers", sent);
        Assert.Contains(sent, l => l.StartsWith("WARNING the home's certificate (app.example.com) has 9 days left", StringComparison.Ordinal));

        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up")]) with { Certificate = expiring with { NotAfter = Start.AddDays(90) } });
        sent = await SentAsync();
        Assert.Contains("RESOLVED edge-2 is gone: it no longer serves (rotated out or removed)", sent);
        Assert.Contains("RESOLVED the certificate of home is renewed", sent);
    }

    [Fact]
    public async Task NoNameserverAnswering_IsNoRecovery_AndAnEdgeOnItsWayOut_HasNoTunnelAlert()
    {
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Down", "Down")]));
        Assert.Single(await SentAsync());
        var silent = new[] { Ns("ns1", "connection refused", Start), Ns("ns2", "connection refused", Start) };
        _watch.Judge(Fleet([Edge("edge-1", EdgeOpinion.Unreachable, EdgeOpinion.Unreachable), Edge("edge-2", EdgeOpinion.Unreachable, EdgeOpinion.Unreachable)], silent));
        Assert.Empty(await SentAsync()); // not "edge-2 is Up again": nobody could say

        var stale = new TunnelState(true, "WireGuard: latest handshake 200 s ago (stale after 180 s)");
        var rotating = new RotationRecord { Id = 1, OldEdge = "edge-2", NewName = "edge-2-r1", Status = RotationStatus.Running, Started = Start };
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Down", "Down", tunnel: stale)], rotations: [rotating]));
        var sent = await SentAsync();
        Assert.DoesNotContain(sent, l => l.Contains("tunnel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EdgesTheNameserversServe_ButTheHomeDoesNotKnow_MeanALostStateFile()
    {
        _watch.Judge(Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-7", "Up", "Up", role: null)]));
        Assert.Contains(await SentAsync(), l => l.StartsWith("CRITICAL the nameservers serve edges the home does not know: edge-7: was the sidecar's state file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheIncidentsFiring_SurviveARestart_InTheStateFile()
    {
        using var scratch = new Scratch();
        var down = Fleet([Edge("edge-1", "Up", "Up"), Edge("edge-2", "Down", "Down")]);
        using (var state = StateFile.Open(scratch.Path).Value!)
        {
            await using var alerts = new AlertDispatcher("geodns-sidecar", _options.Alerts, [_channel], new StateAlertLog(state), _time);
            new AlertWatch(_options, alerts).Judge(down);
            await alerts.FlushAsync();
        }
        Assert.Single(await SentAsync());

        using (var state = StateFile.Open(scratch.Path).Value!)
        {
            var log = new StateAlertLog(state);
            var kept = Assert.Single(log.Recent(10));
            Assert.Equal(DeliveryStatus.Sent, Assert.Single(kept.Deliveries).Status);
            Assert.Equal("edge-2 is Down on every nameserver", Assert.Single(kept.Message.Alerts).Title);

            await using var alerts = new AlertDispatcher("geodns-sidecar", _options.Alerts, [_channel], log, _time);
            new AlertWatch(_options, alerts).Judge(down);
            await alerts.FlushAsync();
            Assert.Empty(await SentAsync()); // still the same incident: not sent again
            new AlertWatch(_options, alerts).Judge(Fleet());
            await alerts.FlushAsync();
        }
        Assert.Equal(["RESOLVED edge-2 is Up again: ns1: Up; ns2: Up"], await SentAsync());
    }

    public async ValueTask DisposeAsync() => await _alerts.DisposeAsync();
}
