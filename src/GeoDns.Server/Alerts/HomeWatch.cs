using System.Globalization;
using GeoDns.Alerts;

namespace GeoDns.Server.Alerts;

/// <summary>
/// Speaks for the home when it cannot. The home's sidecar reaches every nameserver's admin endpoint every few
/// seconds; when no request with the admin token has come for <see cref="SilentAfter"/>, the home is down or its
/// tunnel broken, and the sidecar that would tell someone is the one that is gone. So this nameserver raises one
/// alert (<see cref="Key"/>) on its own channels, with what it sees itself, and resolves it at the first request
/// with the token. The incident is kept in the dispatcher's log: raised before a restart, it is not raised again.
/// </summary>
public sealed class HomeWatch : IDisposable
{
    public const string Key = "home-silent";

    private readonly HomeContact _contact;
    private readonly AlertDispatcher _alerts;
    private readonly Func<string> _situation;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private bool _silent;

    /// <param name="situation">What this nameserver sees, read when the alert is raised.</param>
    public HomeWatch(TimeSpan silentAfter, HomeContact contact, AlertDispatcher alerts, Func<string> situation, TimeProvider time)
    {
        (SilentAfter, _contact, _alerts, _situation) = (silentAfter, contact, alerts, situation);
        _silent = alerts.Firing.Contains(Key);
        _timer = time.CreateTimer(_ => Check(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        contact.Reached += OnReached;
        Check();
    }

    public TimeSpan SilentAfter { get; }

    /// <summary>The alert is raised: the home has not reached this nameserver for <see cref="SilentAfter"/> or more.</summary>
    public bool Silent
    {
        get
        {
            lock (_lock) return _silent;
        }
    }

    /// <summary>Raises the alert once the silence is long enough; else looks again when it would be.</summary>
    private void Check()
    {
        lock (_lock)
        {
            if (_silent) return;
            var silence = _contact.Silence;
            if (silence < SilentAfter)
            {
                _timer.Change(SilentAfter - silence, Timeout.InfiniteTimeSpan);
                return;
            }
            _silent = true;
            var since = _contact.LastContact is { } last ? $"No request with the admin token since {Stamp(last)}" : $"No request with the admin token since this nameserver started at {Stamp(_contact.SilentSince)}";
            _alerts.Raise(Key, $"the home has not reached this nameserver for {Span(silence)}",
                $"{since}: the home is down, or its tunnel to here is. {_situation()}", AlertSeverity.Critical);
        }
    }

    private void OnReached(TimeSpan silence)
    {
        lock (_lock)
        {
            if (!_silent) return;
            _silent = false;
            _alerts.Resolve(Key, "the home reaches this nameserver again", $"A request with the admin token came after {Span(silence)} without one.");
            _timer.Change(SilentAfter, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A duration as people say it: 40 s, 10 min, 2.5 h.</summary>
    public static string Span(TimeSpan span) => span.TotalSeconds < 90 ? $"{span.TotalSeconds:0} s"
        : span.TotalMinutes < 90 ? $"{span.TotalMinutes:0} min"
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h");

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _contact.Reached -= OnReached;
        _timer.Dispose();
    }
}
