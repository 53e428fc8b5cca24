using GeoDns.Alerts;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Sidecar.Tests.Alerts;

/// <summary>
/// The dispatcher's rules, on the fake clock with channels that record (our own doubles): once per incident, a
/// recovery when it ends, a storm as one message, a failing channel retried with a doubling backoff and given up
/// after its time, and the incidents firing kept across a restart.
/// </summary>
public sealed class AlertDispatcherTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly MemoryAlertLog _log = new();
    private readonly AlertOptions _options = new() { GroupWindow = TimeSpan.FromSeconds(10), RetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(20), GiveUpAfter = TimeSpan.FromMinutes(1) };

    private sealed class Recording(string label, int failFirst = 0) : IAlertChannel
    {
        private int _calls;
        public string Label => label;
        public List<AlertMessage> Sent { get; } = [];

        public Task SendAsync(AlertMessage message, CancellationToken cancel)
        {
            if (Interlocked.Increment(ref _calls) <= failFirst) throw new HttpRequestException("503 Service Unavailable");
            lock (Sent) Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task AnIncident_IsSentOnce_AndItsEndOnce()
    {
        var channel = new Recording("hook");
        await using var alerts = new AlertDispatcher("geodns-sidecar", _options, [channel], _log, _time);

        Assert.True(alerts.Raise("edge-down:edge-2", "edge-2 is down", "on ns1 and ns2"));
        Assert.False(alerts.Raise("edge-down:edge-2", "edge-2 is down", "still"));
        _time.Advance(TimeSpan.FromSeconds(10));
        await alerts.FlushAsync();
        Assert.False(alerts.Resolve("edge-down:edge-9", "edge-9 is Up"));
        Assert.True(alerts.Resolve("edge-down:edge-2", "edge-2 is Up again"));
        await alerts.FlushAsync();

        Assert.Equal(["geodns-sidecar: edge-2 is down", "geodns-sidecar: resolved: edge-2 is Up again"], channel.Sent.Select(m => m.Title));
        Assert.Equal("WARNING edge-2 is down: on ns1 and ns2", channel.Sent[0].Text);
        Assert.Empty(alerts.Firing);
    }

    [Fact]
    public async Task AStorm_WithinTheWindow_IsOneMessage()
    {
        var channel = new Recording("hook");
        await using var alerts = new AlertDispatcher("geodns-sidecar", _options, [channel], _log, _time);

        for (var i = 1; i <= 20; i++)
        {
            alerts.Raise($"edge-down:edge-{i}", $"edge-{i} is down", "", AlertSeverity.Critical);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }
        _time.Advance(TimeSpan.FromSeconds(10));
        await alerts.FlushAsync();

        var message = Assert.Single(channel.Sent);
        Assert.Equal(20, message.Alerts.Count);
        Assert.Equal("geodns-sidecar: 20 alerts (20 firing)", message.Title);
        Assert.Equal(AlertSeverity.Critical, message.Severity);
    }

    [Fact]
    public async Task AFailingChannel_IsRetriedWithBackoff_TheOtherIsNotHeldUp_AndTheLogSaysSo()
    {
        var (flaky, good) = (new Recording("flaky", failFirst: 2), new Recording("good"));
        await using var alerts = new AlertDispatcher("geodns-sidecar", _options, [flaky, good], _log, _time);

        alerts.Raise("budget", "the daily rotation budget is spent", "4 of 4");
        _time.Advance(TimeSpan.FromSeconds(10));
        await Until(() => good.Sent.Count == 1 && _log.Recent(1)[0].Deliveries[0].Status == DeliveryStatus.Retrying);
        Assert.Empty(flaky.Sent);
        _time.Advance(TimeSpan.FromSeconds(5)); // the second attempt fails too; the next waits 10 s
        await Until(() => _log.Recent(1)[0].Deliveries[0].Attempts == 2);
        _time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Empty(flaky.Sent);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => flaky.Sent.Count == 1);

        var record = _log.Recent(1)[0];
        Assert.Equal([("flaky", DeliveryStatus.Sent, 3), ("good", DeliveryStatus.Sent, 1)], record.Deliveries.Select(d => (d.Channel, d.Status, d.Attempts)));
    }

    [Fact]
    public async Task AChannelThatNeverAnswers_IsGivenUp_AndStaysFailedInTheLog()
    {
        var dead = new Recording("dead", failFirst: int.MaxValue);
        await using var alerts = new AlertDispatcher("geodns-sidecar", _options, [dead], _log, _time);

        alerts.Raise("tunnel:edge-1", "edge-1's tunnel is down", "");
        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20 && _log.Recent(1)[0].Deliveries[0].Status != DeliveryStatus.Failed; i++)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        var delivery = _log.Recent(1)[0].Deliveries[0];
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal("503 Service Unavailable", delivery.Error);
        Assert.InRange(delivery.Attempts, 3, 6); // 5 + 10 + 20 + 20 s of backoff fit in the minute
    }

    [Fact]
    public async Task FiringIncidents_SurviveARestart_NoSecondAlert()
    {
        var channel = new Recording("hook");
        await using (var first = new AlertDispatcher("geodns-sidecar", _options, [channel], _log, _time))
        {
            first.Raise("edge-down:edge-2", "edge-2 is down", "");
            await first.FlushAsync();
        }
        await using var second = new AlertDispatcher("geodns-sidecar", _options, [channel], _log, _time);

        Assert.False(second.Raise("edge-down:edge-2", "edge-2 is down", ""));
        Assert.True(second.Resolve("edge-down:edge-2", "edge-2 is Up again"));
        await second.FlushAsync();
        Assert.Equal(2, channel.Sent.Count);
    }

    [Fact]
    public async Task AMessageLeftUnsent_ByARestart_IsDeliveredAfterIt()
    {
        var down = new Recording("hook", failFirst: int.MaxValue);
        await using (var first = new AlertDispatcher("geodns-sidecar", _options, [down], _log, _time))
        {
            first.Raise("edge-down:edge-2", "edge-2 is down", "");
            _time.Advance(TimeSpan.FromSeconds(10)); // the group window: sent, and failed (FlushAsync would wait for its retries)
            await Until(() => _log.Recent(1).Count == 1 && _log.Recent(1)[0].Deliveries[0].Status == DeliveryStatus.Retrying);
        } // stopped while the channel was down

        var back = new Recording("hook");
        await using var second = new AlertDispatcher("geodns-sidecar", _options, [back, new Recording("new-channel")], _log, _time);
        second.Resume();

        await Until(() => back.Sent.Count == 1);
        Assert.Equal("geodns-sidecar: edge-2 is down", back.Sent[0].Title);
        Assert.Equal(DeliveryStatus.Sent, _log.Recent(1)[0].Deliveries[0].Status);
        Assert.Single(_log.Recent(10)); // resumed, not sent as a new message
    }

    private static async Task Until(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++) await Task.Delay(10);
        Assert.True(done(), "timed out");
    }
}
