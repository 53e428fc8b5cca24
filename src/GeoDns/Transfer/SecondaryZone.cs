using System.Net;
using GeoDns.Files;
using GeoDns.Protocol;
using GeoDns.Tsig;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transfer;

/// <summary>
/// One zone we are secondary for: refreshes on a NOTIFY from a primary and on the SOA timers (REFRESH after a
/// success, RETRY after a failure), and stops serving it when EXPIRE passes without a successful refresh
/// (RFC 1034 §4.3.5). Each new copy is stored before it is served. Nothing ends the refresh loop but
/// <see cref="Dispose"/>: a copy that cannot be stored is retried with backoff, and <see cref="Status"/> shows it.
/// </summary>
public sealed partial class SecondaryZone : IDisposable
{
    /// <summary>A copy that could not be stored is fetched and stored again after this, doubling up to <see cref="MaxSaveRetry"/>.</summary>
    public static readonly TimeSpan FirstSaveRetry = TimeSpan.FromSeconds(1), MaxSaveRetry = TimeSpan.FromMinutes(5);

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly SourceAddresses? _source;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private volatile TaskCompletionSource _notified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile SecondaryCopy? _copy;
    private volatile SecondaryStatus _status;

    public SecondaryZone(SecondaryZoneRule rule, string directory, TimeProvider time, ILogger log, SourceAddresses? source = null)
    {
        var origin = rule.Zone;
        (Rule, _directory, _time, _log, _source) = (rule, directory, time, log, source);
        _copy = SecondaryCopy.Load(directory, origin, time.GetUtcNow(), out var damage);
        if (damage is not null) LogCopyDamaged(log, origin.ToString(), damage);
        if (_copy is not null && _copy.ExpiresAt <= time.GetUtcNow()) _copy = null; // expired while we were down
        _status = new SecondaryStatus { LoadDamage = damage, LastSuccessAt = _copy?.RefreshedAt };
        _ = RunAsync();
    }

    /// <summary>The zone, its primaries, the key and the caps, as configured.</summary>
    public SecondaryZoneRule Rule { get; }

    public DnsName Origin => Rule.Zone;
    public IReadOnlyList<IPEndPoint> Primaries => Rule.Primaries;
    public TsigKey? Key => Rule.Key;

    /// <summary>The copy being served, or null (never transferred, or expired).</summary>
    public SecondaryCopy? Copy => _copy;

    /// <summary>How refreshing goes: failures in a row, the last error, the next attempt.</summary>
    public SecondaryStatus Status => _status;

    /// <summary>A new copy is served, or the zone expired.</summary>
    public event Action? Changed;

    /// <summary>RFC 1996 §3.11: a NOTIFY from a primary starts a refresh now.</summary>
    public void Notify() => _notified.TrySetResult();

    private async Task RunAsync()
    {
        var saveFailed = false;
        while (!_stop.IsCancellationRequested)
        {
            var copy = _copy;
            var failures = _status.Failures;
            if (copy is not null || failures > 0)
            {
                var wait = saveFailed ? SaveRetry(failures) : copy is null ? TimeSpan.FromSeconds(10) : failures > 0 ? copy.Retry : copy.Refresh;
                if (copy is not null && copy.ExpiresAt - _time.GetUtcNow() < wait) wait = copy.ExpiresAt - _time.GetUtcNow();
                if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
                _status = _status with { NextAttemptAt = _time.GetUtcNow() + wait };
                try { await Task.WhenAny(_notified.Task, Task.Delay(wait, _time, _stop.Token)); }
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
            _status = _status with { NextAttemptAt = null };
            try
            {
                saveFailed = false;
                if (await RefreshAsync() is { } error) saveFailed = Failed(error.Message, error.Local);
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                LogRefreshCrashed(_log, e, Origin.ToString());
                Failed(e.Message, local: true);
                saveFailed = true; // a fault of ours, not the primary's: retried soon, as a failed save is
            }
        }
    }

    private static TimeSpan SaveRetry(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxSaveRetry.Ticks, FirstSaveRetry.Ticks << Math.Min(failures - 1, 20)));

    private bool Failed(string error, bool local)
    {
        _status = _status with { Failures = _status.Failures + 1, LastError = error, LastErrorAt = _time.GetUtcNow() };
        return local;
    }

    /// <summary>Null when a copy was fetched and stored (or was up to date), else what went wrong and whether it was ours (the disk) rather than the primaries'.</summary>
    private async Task<(string Message, bool Local)?> RefreshAsync()
    {
        var errors = new List<string>();
        foreach (var primary in Primaries)
        {
            var current = _copy;
            var transfer = await ZoneFetcher.FetchAsync(primary, Rule, current, _time, _stop.Token, _source);
            if (transfer.Records is { } fetched && !ReferenceEquals(fetched, current?.Records))
            {
                // The caps hold for the zone the transfer leaves, not only for the transfer: IXFR steps add up.
                if (TransferCheck.OverCaps(Rule, fetched) is { } over)
                    transfer = TransferResult.Refused($"serial {Serial.Of(fetched[0])} {over}");
                else if (TransferCheck.Problems(Origin, fetched, transfer.Steps, $"transfer from {primary}") is { Count: > 0 } problems)
                    transfer = TransferResult.Refused($"serial {Serial.Of(fetched[0])} broke the zone's rules: {string.Join("; ", problems.Take(3))}"
                        + (problems.Count > 3 ? $" (and {problems.Count - 3} more)" : ""));
            }
            if (transfer.Records is not { } records)
            {
                if (transfer.Rejected)
                {
                    LogRejected(_log, Origin.ToString(), primary.ToString(), transfer.Error);
                    _status = _status with { Rejected = _status.Rejected + 1 };
                }
                else LogFailed(_log, Origin.ToString(), primary.ToString(), transfer.Error);
                errors.Add($"{primary}: {(transfer.Rejected ? "rejected: " : "")}{transfer.Error}");
                continue;
            }
            var steps = transfer.Steps;
            var fresh = new SecondaryCopy(Origin, records, _time.GetUtcNow()) { Steps = current is null ? null : steps };
            var changed = current is null || fresh.Serial != current.Serial;
            try { fresh = fresh.Store(_directory, current); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Served only once stored, so that a restart never answers from an older copy than one already answered.
                var problem = $"serial {fresh.Serial} from {primary} not stored: {FileProblem.Describe(SecondaryCopy.PathFor(_directory, Origin), e)}";
                LogSaveFailed(_log, Origin.ToString(), problem, _status.Failures + 1);
                return (problem, true);
            }
            _copy = fresh;
            _status = _status with { Failures = 0, LastSuccessAt = fresh.RefreshedAt };
            if (changed)
            {
                LogTransferred(_log, Origin.ToString(), fresh.Serial, primary.ToString(), records.Count);
                Changed?.Invoke();
            }
            return null;
        }
        return (string.Join("; ", errors), false);
    }

    public void Dispose() => _stop.Cancel();

    [LoggerMessage(LogLevel.Information, "Secondary {Zone}: serial {Serial} from {Primary}, {Records} record(s)")]
    private static partial void LogTransferred(ILogger log, string zone, uint serial, string primary, int records);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: transfer from {Primary} rejected, the last good copy is kept: {Error}")]
    private static partial void LogRejected(ILogger log, string zone, string primary, string error);

    [LoggerMessage(LogLevel.Warning, "Secondary {Zone}: refresh from {Primary} failed: {Error}")]
    private static partial void LogFailed(ILogger log, string zone, string primary, string error);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: {Problem} (failure {Failures} in a row; retried with backoff, the last stored copy is served meanwhile)")]
    private static partial void LogSaveFailed(ILogger log, string zone, string problem, int failures);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: refresh failed unexpectedly; retried with backoff")]
    private static partial void LogRefreshCrashed(ILogger log, Exception e, string zone);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: stored copy {Damage}")]
    private static partial void LogCopyDamaged(ILogger log, string zone, string damage);

    [LoggerMessage(LogLevel.Error, "Secondary {Zone}: expired (serial {Serial}, no refresh within SOA EXPIRE); no longer served")]
    private static partial void LogExpired(ILogger log, string zone, uint serial);
}
