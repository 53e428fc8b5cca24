using System.Net;
using GeoDns.Protocol;
using GeoDns.Tsig;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transfer;

/// <summary>
/// One zone we are secondary for: refreshes on a NOTIFY from a primary and on the SOA timers (REFRESH after a
/// success, RETRY after a failure), and stops serving it when EXPIRE passes without a successful refresh
/// (RFC 1034 §4.3.5). Each new copy is stored before it is served.
/// </summary>
public sealed partial class SecondaryZone : IDisposable
{
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private volatile TaskCompletionSource _notified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile SecondaryCopy? _copy;

    public SecondaryZone(DnsName origin, IReadOnlyList<IPEndPoint> primaries, TsigKey? key, string directory, TimeProvider time, ILogger log)
    {
        (Origin, Primaries, Key, _directory, _time, _log) = (origin, primaries, key, directory, time, log);
        _copy = SecondaryCopy.Load(directory, origin);
        if (_copy is not null && _copy.ExpiresAt <= time.GetUtcNow()) _copy = null; // expired while we were down
        _ = RunAsync();
    }

    public DnsName Origin { get; }
    public IReadOnlyList<IPEndPoint> Primaries { get; }
    public TsigKey? Key { get; }

    /// <summary>The copy being served, or null (never transferred, or expired).</summary>
    public SecondaryCopy? Copy => _copy;

    /// <summary>A new copy is served, or the zone expired.</summary>
    public event Action? Changed;

    /// <summary>RFC 1996 §3.11: a NOTIFY from a primary starts a refresh now.</summary>
    public void Notify() => _notified.TrySetResult();

    private async Task RunAsync()
    {
        var failed = false;
        while (!_stop.IsCancellationRequested)
        {
            var copy = _copy;
            if (copy is not null || failed)
            {
                var wait = copy is null ? TimeSpan.FromSeconds(10) : failed ? copy.Retry : copy.Refresh;
                if (copy is not null && copy.ExpiresAt - _time.GetUtcNow() < wait) wait = copy.ExpiresAt - _time.GetUtcNow();
                try { await Task.WhenAny(_notified.Task, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, _stop.Token)); }
                catch (OperationCanceledException) { return; }
                if (_stop.IsCancellationRequested) return;
                if (copy is not null && copy.ExpiresAt <= _time.GetUtcNow() && ReferenceEquals(copy, _copy))
                {
                    LogExpired(_log, Origin.ToString(), copy.Serial);
                    _copy = null;
                    Changed?.Invoke();
                }
            }
            // A NOTIFY arriving during the refresh below starts another one: reset the signal first.
            if (_notified.Task.IsCompleted) _notified = new(TaskCreationOptions.RunContinuationsAsynchronously);
            failed = !await RefreshAsync();
        }
    }

    private async Task<bool> RefreshAsync()
    {
        foreach (var primary in Primaries)
        {
            var current = _copy;
            var (records, error) = await ZoneFetcher.FetchAsync(primary, Origin, current, Key, _time, _stop.Token);
            if (records is null)
            {
                LogFailed(_log, Origin.ToString(), primary.ToString(), error);
                continue;
            }
            var fresh = new SecondaryCopy(Origin, records, _time.GetUtcNow());
            var changed = current is null || fresh.Serial != current.Serial;
            fresh.Save(_directory);
            _copy = fresh;
            if (changed)
            {
                LogTransferred(_log, Origin.ToString(), fresh.Serial, primary.ToString(), records.Count);
                Changed?.Invoke();
            }
            return true;
        }
        return false;
    }

    public void Dispose() => _stop.Cancel();

    [LoggerMessage(LogLevel.Information, "Secondary {Zone}: serial {Serial} from {Primary}, {Records} record(s)")]
    private static partial void LogTransferred(ILogger log, string zone, uint serial, string primary, int records);

    [LoggerMessage(LogLevel.Warning, "Secondary {Zone}: refresh from {Primary} failed: {Error}")]
    private static partial void LogFailed(ILogger log, string zone, string primary, string error);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: expired (serial {Serial}, no refresh within SOA EXPIRE); no longer served")]
    private static partial void LogExpired(ILogger log, string zone, uint serial);
}
