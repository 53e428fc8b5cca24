using Microsoft.Extensions.Logging;

namespace GeoDns.Alerts;

/// <summary>
/// Turns incidents into messages on every channel. <see cref="Raise"/> starts an incident and <see cref="Resolve"/>
/// ends it; each is sent once (raised again while it lasts, nothing is sent). Alerts raised within
/// <see cref="AlertOptions.GroupWindow"/> of the first pending one go out together as one message. Each channel
/// delivers on its own: a failure is retried with a doubling backoff until <see cref="AlertOptions.GiveUpAfter"/>,
/// and every message is kept with its state per channel in the <see cref="IAlertLog"/>.
/// </summary>
public sealed class AlertDispatcher : IAsyncDisposable
{
    private readonly string _source;
    private readonly AlertOptions _options;
    private readonly IReadOnlyList<IAlertChannel> _channels;
    private readonly IAlertLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private readonly List<Alert> _pending = [];
    private readonly HashSet<string> _firing;
    private readonly List<Task> _deliveries = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;

    /// <param name="source">Who speaks: the first word of every title (<c>geodns-sidecar at home</c>, <c>geodns ns1</c>).</param>
    public AlertDispatcher(string source, AlertOptions options, IReadOnlyList<IAlertChannel> channels, IAlertLog log, TimeProvider time, ILogger? logger = null)
    {
        (_source, _options, _channels, _log, _time, _logger) = (source, options, channels, log, time, logger);
        _firing = [.. log.Firing()];
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public IReadOnlyList<IAlertChannel> Channels => _channels;

    public IReadOnlyCollection<string> Firing
    {
        get
        {
            lock (_lock) return [.. _firing];
        }
    }

    /// <summary>Starts incident <paramref name="key"/>; false (and nothing sent) when it is firing already.</summary>
    public bool Raise(string key, string title, string text, AlertSeverity severity = AlertSeverity.Warning)
    {
        lock (_lock)
        {
            if (!_firing.Add(key)) return false;
            _log.SetFiring(key, true);
            Queue(new Alert(key, title, text, severity, Resolved: false, _time.GetUtcNow()));
            return true;
        }
    }

    /// <summary>Ends incident <paramref name="key"/> with a recovery message; false when it was not firing.</summary>
    public bool Resolve(string key, string title, string text = "")
    {
        lock (_lock)
        {
            if (!_firing.Remove(key)) return false;
            _log.SetFiring(key, false);
            Queue(new Alert(key, title, text, AlertSeverity.Info, Resolved: true, _time.GetUtcNow()));
            return true;
        }
    }

    /// <summary>A one-off message, not an incident (rotation started / finished): grouped like the rest.</summary>
    public void Notify(string key, string title, string text, AlertSeverity severity = AlertSeverity.Info)
    {
        lock (_lock) Queue(new Alert(key, title, text, severity, Resolved: false, _time.GetUtcNow()));
    }

    /// <summary>
    /// Delivers again what a previous run left unsent (pending, or failing and not yet given up) on the channels that still
    /// exist: a daemon restarted while a channel was down still gets its message through. Call it once, at start.
    /// </summary>
    public void Resume()
    {
        var now = _time.GetUtcNow();
        foreach (var record in _log.Recent(100).Reverse())
        {
            if (now - record.Message.Alerts.Min(a => a.At) > _options.GiveUpAfter) continue;
            foreach (var delivery in record.Deliveries.Where(d => d.Status is DeliveryStatus.Pending or DeliveryStatus.Retrying))
                if (_channels.FirstOrDefault(c => c.Label == delivery.Channel) is { } channel)
                    lock (_lock) _deliveries.Add(Task.Run(() => DeliverAsync(record.Id, channel, record.Message)));
        }
    }

    /// <summary>Sends what is pending now, without waiting out the group window, and waits for every delivery started so far to end.</summary>
    public async Task FlushAsync()
    {
        Flush();
        Task[] running;
        lock (_lock) running = [.. _deliveries];
        await Task.WhenAll(running);
    }

    /// <summary><c>alerts test</c>: a test message on every channel at once, no grouping, no retry; each channel's error or null.</summary>
    public async Task<IReadOnlyList<(string Channel, string? Error)>> TestAsync(CancellationToken cancel)
    {
        var message = new AlertMessage(_source, [new Alert("test", "test message", "alerts reach this channel", AlertSeverity.Info, false, _time.GetUtcNow())]);
        return await Task.WhenAll(_channels.Select(async channel =>
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                await channel.SendAsync(message, limit.Token);
                return (channel.Label, (string?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                return (channel.Label, Describe(e));
            }
        }));
    }

    private void Queue(Alert alert)
    {
        _pending.Add(alert);
        // The window starts with the first alert of a group: later ones join it rather than pushing it back.
        if (_pending.Count == 1) _timer.Change(_options.GroupWindow, Timeout.InfiniteTimeSpan);
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (_pending.Count == 0 || _stop.IsCancellationRequested) return;
            var message = new AlertMessage(_source, [.. _pending]);
            _pending.Clear();
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var id = _log.Add(message, _channels.Select(c => c.Label));
            _deliveries.RemoveAll(t => t.IsCompleted);
            foreach (var channel in _channels) _deliveries.Add(Task.Run(() => DeliverAsync(id, channel, message)));
        }
    }

    private async Task DeliverAsync(int id, IAlertChannel channel, AlertMessage message)
    {
        var start = _time.GetTimestamp();
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                await channel.SendAsync(message, limit.Token);
                _log.Update(id, new Delivery(channel.Label, DeliveryStatus.Sent, attempt, null, _time.GetUtcNow()));
                return;
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                var gaveUp = _time.GetElapsedTime(start) + delay > _options.GiveUpAfter;
                _log.Update(id, new Delivery(channel.Label, gaveUp ? DeliveryStatus.Failed : DeliveryStatus.Retrying, attempt, Describe(e), _time.GetUtcNow()));
                _logger?.LogWarning("alert {Id} to {Channel}: attempt {Attempt} failed: {Error}{Next}", id, channel.Label, attempt, Describe(e),
                    gaveUp ? "; given up" : $"; again in {delay.TotalSeconds:0} s");
                if (gaveUp) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(delay, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no answer within 30 s",
        _ when e.InnerException is { } inner && e is HttpRequestException => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _timer.DisposeAsync();
        Task[] running;
        lock (_lock) running = [.. _deliveries];
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        _stop.Dispose();
    }
}
