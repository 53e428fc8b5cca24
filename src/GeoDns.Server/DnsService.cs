using System.Net;
using System.Runtime.InteropServices;
using GeoDns.Answering;
using GeoDns.Transport;
using GeoDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// Loads the zones, keeps them current and serves them. Every trigger — a file change, SIGHUP,
/// an admin request — goes through <see cref="Reload"/>, which builds a new answer table aside
/// and swaps it in; queries keep being answered from the old one until then.
/// </summary>
public sealed class DnsService(ServerOptions options, TimeProvider time, ILogger<DnsService> log) : IHostedService, IDisposable
{
    private readonly Responder _responder = new();
    private readonly List<DnsListener> _listeners = [];
    private readonly Lock _reloading = new();
    private ZoneDirectory? _zones;
    private ZoneWatcher? _watcher;
    private PosixSignalRegistration? _hangup;

    public ZoneSet Zones { get; private set; } = ZoneSet.Empty;

    public IReadOnlyList<IPEndPoint> Endpoints => _listeners.Select(l => l.LocalEndPoint).ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.Zones))
            throw new DirectoryNotFoundException($"zone directory '{Path.GetFullPath(options.Zones)}' does not exist (set it with --zones DIR)");
        _zones = new ZoneDirectory(options.Zones, time);
        Reload("start");
        foreach (var endpoint in options.Endpoints())
        {
            _listeners.Add(new DnsListener(endpoint, _responder, options.Transport, log));
            log.LogInformation("Serving DNS on {Endpoint} (UDP and TCP)", _listeners[^1].LocalEndPoint);
        }
        _watcher = new ZoneWatcher(options.Zones, options.ReloadDebounce, () => Reload("zone files changed"), time);
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not exit
            Reload("SIGHUP");
        });
        return Task.CompletedTask;
    }

    /// <summary>Re-reads every zone file and swaps in the new answers; returns the resulting zone set.</summary>
    public ZoneSet Reload(string reason)
    {
        lock (_reloading)
        {
            var zones = _zones!.Reload();
            _responder.Table = AnswerTableBuilder.Build(zones);
            Zones = zones;
            foreach (var error in zones.Errors)
                log.LogError("Zone not (re)loaded, previous version kept: {Error}", error);
            log.LogInformation("Reloaded ({Reason}): serving {Zones} zone(s): {Names}; {Errors} error(s)", reason, zones.Zones.Count,
                string.Join(", ", zones.Zones.Select(z => $"{z.Origin} serial {z.Serial}")), zones.Errors.Count);
            return zones;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _watcher?.Dispose();
        foreach (var listener in _listeners) listener.Dispose();
        _listeners.Clear();
    }
}
