using GeoDns.Publishing;
using GeoDns.Zones;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// The zone files, the config file and the geo database read again and handed to the publisher: what the file
/// watchers and SIGHUP start (<see cref="ReloadTriggers"/>) and the admin asks for, always through
/// <see cref="Operations"/>. A config that cannot be read keeps the last good of everything, a bad value the last
/// good of its section; keys that need a restart are named.
/// </summary>
public sealed class Reloads
{
    private readonly ServerOptions _options;
    private readonly ZoneDirectory _zones;
    private readonly Publisher _publisher;
    private readonly ExchangeSetup _exchange;
    private readonly Defences _defences;
    private readonly Observations _seen;
    private readonly ILogger _log;
    // The config file as last applied (at first as read at start, without the command line's overrides): what a reload is compared with.
    private ServerOptions? _reloaded;
    private volatile bool _stopped;

    internal Reloads(ServerOptions options, ServerOptions? asRead, ZoneDirectory zones, Publisher publisher, ExchangeSetup exchange, Defences defences,
        Observations seen, ILogger log) =>
        (_options, _reloaded, _zones, _publisher, _exchange, _defences, _seen, _log) = (options, asRead, zones, publisher, exchange, defences, seen, log);

    /// <summary>Nothing is reloaded from now on: a watcher's debounce timer may fire after the service stopped.</summary>
    internal void Stop() => _stopped = true;

    /// <summary>Re-reads every zone file and hands the result to the publisher; returns the new zone set.</summary>
    public ZoneSet Zones(string reason)
    {
        if (_stopped) return _seen.Snapshot.Zones;
        var previous = _zones.Current;
        var zones = ZoneReport.Errors(_log, _zones.Reload(), atStart: false);
        ZoneReport.Loaded(_log, zones, previous);
        _seen.ReloadMetrics.Count("zones", zones.Errors.Count == 0);
        _seen.ZoneFilesRead(zones.Errors.Count);
        _log.LogInformation("Reloaded zones ({Reason}): serving {Zones} zone(s); {Errors} error(s)", reason, zones.Zones.Count, zones.Errors.Count);
        _publisher.SetZones(zones);
        return zones;
    }

    /// <summary>
    /// Re-reads the config file: pools, transfers and updates, RRL and cookies; a broken file keeps the last good
    /// of everything, a bad value the last good of its section. Settings that need a restart are named.
    /// </summary>
    public void Config()
    {
        if (_options.Config is not { } file || _stopped) return;
        var fresh = ConfigFile.Load(file, out var error);
        if (fresh is null)
        {
            _seen.ReloadMetrics.Count("config", false);
            _log.LogError("Config not reloaded, last good pools kept: {Error}", error);
            _publisher.SetPools(null, error);
            return;
        }
        foreach (var key in ServerOptions.RestartNeeded(_reloaded ?? _options, fresh))
            _log.LogWarning("Config: '{Key}' changed in {File}; it takes effect at the next restart", key, file);
        var invalid = _defences.Apply(fresh.Rrl, fresh.Cookies);
        _publisher.SetDefences(_defences.Policy);
        foreach (var problem in invalid) _log.LogError("Config: {Problem} in {File}; the last good setting is kept", problem, file);
        _seen.ReloadMetrics.Count("config", invalid.Count == 0);
        (_reloaded, _seen.ConfiguredPools) = (fresh, fresh.Pools);
        _publisher.SetPools(fresh.Pools);
        _exchange.Configure(fresh);
    }

    /// <summary>Opens the geo database (again, when the file changed). Missing or broken turns geo off, loudly; answering goes on.</summary>
    public void Geo()
    {
        if (_stopped) return;
        var geo = GeoFile.Open(_options, _log);
        _seen.ReloadMetrics.Count("geo", geo is not null);
        _publisher.SetGeo(geo);
    }
}
