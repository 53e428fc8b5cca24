using GeoDns.Sidecar.Daemon;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// <c>run</c>'s daemon over a <see cref="FakeSidecar"/>, started once it has looked at the fleet: its endpoint (and so the
/// fleet panel) on a loopback port of its own. Disposing stops it and waits for it to end.
/// </summary>
public sealed class DaemonPanel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FakeSidecar _sidecar;
    private Task _running = Task.CompletedTask;

    private DaemonPanel(FakeSidecar sidecar)
    {
        _sidecar = sidecar;
        Daemon = new SidecarDaemon(sidecar.Session, NullLoggerFactory.Instance);
    }

    public SidecarDaemon Daemon { get; }

    /// <summary>The panel: the endpoint's root.</summary>
    public Uri Page { get; private set; } = null!;

    public static async Task<DaemonPanel> StartAsync(FakeSidecar sidecar)
    {
        var panel = new DaemonPanel(sidecar);
        panel._running = panel.Daemon.RunAsync(panel._stop.Token);
        try
        {
            panel.Page = new Uri(await panel.Daemon.Address.WaitAsync(TimeSpan.FromSeconds(10)) + "/");
            await panel.LookedAsync();
        }
        catch
        {
            await panel.DisposeAsync();
            throw;
        }
        return panel;
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="by"/> (the daemon's poll wakes) and waits for the look at the new time.
    /// A daemon still finishing its last look when the clock moved starts its wait after it: then the clock is nudged on
    /// by a poll interval at a time until it looks.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var target = _sidecar.Time.GetUtcNow() + by;
        _sidecar.Time.Advance(by);
        for (var nudges = 0; nudges < 10; nudges++)
        {
            try
            {
                await FakeSidecar.Until(() => Daemon.Fleet.At >= target || _running.IsCompleted, $"the daemon's look at {target:O}", timeoutMs: 2_000);
                break;
            }
            catch (TimeoutException)
            {
                _sidecar.Time.Advance(_sidecar.Options.Rotation.PollInterval);
            }
        }
        await LookedAsync();
    }

    private async Task LookedAsync()
    {
        var now = _sidecar.Time.GetUtcNow();
        await FakeSidecar.Until(() => Daemon.Fleet.At == now || _running.IsCompleted, $"the daemon's look at {now:O}");
        if (Daemon.Fleet.At == now) return;
        await _running; // a daemon that stopped says why
        throw new InvalidOperationException("the daemon stopped before it looked at the fleet");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
