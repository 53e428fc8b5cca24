using GeoDns.Alerts;
using GeoDns.Persistence;
using GeoDns.Server.Alerts;
using GeoDns.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The watch on the home, on the fake clock, with a channel that records and the real state file as the dispatcher's
/// log: silence from the start counts, one alert per outage, its end when the token is heard again, nothing while the
/// home keeps calling, and an outage announced before a restart is not announced again.
/// </summary>
public sealed class HomeWatchTests : IDisposable
{
    private static readonly TimeSpan After = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _data = new();
    private readonly Recording _channel = new();

    private sealed class Recording : IAlertChannel
    {
        public string Label => "hook";
        public List<AlertMessage> Sent { get; } = [];

        public Task SendAsync(AlertMessage message, CancellationToken cancel)
        {
            lock (Sent) Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>A nameserver's alerts as started: its store, dispatcher and watch; disposed in that order's reverse, as at a stop.</summary>
    private sealed class Running(HealthStore store, AlertDispatcher alerts, HomeWatch watch) : IAsyncDisposable
    {
        public AlertDispatcher Alerts => alerts;
        public HomeWatch Watch => watch;

        public async ValueTask DisposeAsync()
        {
            watch.Dispose();
            await alerts.DisposeAsync();
            store.Dispose();
        }
    }

    private Running Start(HomeContact contact)
    {
        var store = new HealthStore(_data.Path, _time);
        var alerts = new AlertDispatcher("ns1", new AlertOptions { GroupWindow = TimeSpan.Zero }, [_channel], new StoredAlertLog(store, ["hook"]), _time);
        return new Running(store, alerts, new HomeWatch(After, contact, alerts, () => "What it sees now: app.example.com: 2 of 2 edge(s) in answers.", _time));
    }

    private string[] Titles => [.. _channel.Sent.Select(m => m.Title)];

    [Fact]
    public async Task SilentFromTheStart_AlertsOnceAfterSilentAfter_AndResolvesAtTheNextToken()
    {
        var contact = new HomeContact(_time);
        await using var running = Start(contact);

        _time.Advance(After - TimeSpan.FromSeconds(1));
        await running.Alerts.FlushAsync();
        Assert.Empty(Titles);
        _time.Advance(TimeSpan.FromSeconds(1));
        await running.Alerts.FlushAsync();
        _time.Advance(After * 3); // still silent: nothing more
        await running.Alerts.FlushAsync();

        var alert = Assert.Single(_channel.Sent);
        Assert.Equal("ns1: the home has not reached this nameserver for 10 min", alert.Title);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains("No request with the admin token since this nameserver started at 2026-12-07 08:00:00 UTC", alert.Text);
        Assert.Contains("app.example.com: 2 of 2 edge(s) in answers", alert.Text);
        Assert.True(running.Watch.Silent);

        contact.Heard();
        await running.Alerts.FlushAsync();

        Assert.Equal("ns1: resolved: the home reaches this nameserver again", Titles[^1]);
        Assert.Contains("after 40 min without one", _channel.Sent[^1].Text);
        Assert.False(running.Watch.Silent);
    }

    [Fact]
    public async Task AHomeThatKeepsCalling_IsNeverReported_AndSilenceCountsFromItsLastCall()
    {
        var contact = new HomeContact(_time);
        await using var running = Start(contact);

        for (var i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            contact.Heard();
        }
        await running.Alerts.FlushAsync();
        Assert.Empty(Titles);
        _time.Advance(After);
        await running.Alerts.FlushAsync();

        Assert.Equal(["ns1: the home has not reached this nameserver for 10 min"], Titles);
        Assert.Contains("No request with the admin token since 2026-12-07 09:00:00 UTC", _channel.Sent[0].Text);
    }

    [Fact]
    public async Task AnOutageAnnouncedBeforeARestart_IsNotAnnouncedAgain_ButItsEndIs()
    {
        await using (var before = Start(new HomeContact(_time)))
        {
            _time.Advance(After);
            await before.Alerts.FlushAsync();
        }
        Assert.Single(Titles);

        var contact = new HomeContact(_time);
        await using (var after = Start(contact))
        {
            _time.Advance(After * 2);
            await after.Alerts.FlushAsync();
            Assert.Single(Titles);
            Assert.True(after.Watch.Silent);

            contact.Heard();
            await after.Alerts.FlushAsync();
        }

        Assert.Equal(["ns1: the home has not reached this nameserver for 10 min", "ns1: resolved: the home reaches this nameserver again"], Titles);
        using var store = new HealthStore(_data.Path, _time);
        Assert.Empty(store.AlertsFiring());
        // The state file keeps both messages, newest first, each with its delivery.
        var kept = new StoredAlertLog(store, []).Recent(10);
        Assert.Equal([("ns1: resolved: the home reaches this nameserver again", DeliveryStatus.Sent), ("ns1: the home has not reached this nameserver for 10 min", DeliveryStatus.Sent)],
            kept.Select(r => (r.Message.Title, Assert.Single(r.Deliveries).Status)));
    }

    public void Dispose() => _data.Dispose();
}
