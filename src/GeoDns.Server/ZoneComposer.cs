using GeoDns.Answering;
using GeoDns.Publishing;
using GeoDns.Transfer;
using GeoDns.Zones;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// The zones the publisher is handed: the zone files as read, plus, when keys, transfers, updates or
/// secondaries are configured, what the <see cref="ZoneExchange"/> adds (secondary copies, served serials,
/// dynamic records, which it journals and NOTIFYs about). One lock composes them, so a NOTIFY goes out
/// only once the zones that changed are handed over.
/// </summary>
internal sealed class ZoneComposer : IDisposable
{
    private readonly Publisher _publisher;
    private readonly string? _configFile;
    private readonly ILogger _log;
    private readonly Lock _composing = new();
    private ZoneSet _fileZones = ZoneSet.Empty;
    private bool _stopped;

    public ZoneComposer(ServerOptions options, Responder responder, Publisher publisher, TimeProvider time, ILoggerFactory logs)
    {
        (_publisher, _configFile, _log) = (publisher, options.Config, logs.CreateLogger<ZoneComposer>());
        if (!options.Exchange.Configured) return;
        var exchange = Exchange = new ZoneExchange(responder, options.Data, time, logs.CreateLogger<ZoneExchange>())
        {
            // UPDATE is answered once its change is served (RFC 2136 §3.7 expects the change applied on reply).
            Republish = () =>
            {
                Publish();
                publisher.FlushAsync().Wait(TimeSpan.FromSeconds(10));
            },
        };
        exchange.SecondariesChanged += Publish;
        exchange.BeforeNotify = async () =>
        {
            await Task.Yield();
            lock (_composing) { } // the zones that changed are handed to the publisher inside this lock
            await publisher.FlushAsync();
        };
        // Pool health moves the transferred content (and so the serial) of zones with transfers.
        publisher.Published += snapshot =>
        {
            if (exchange.PoolRecordsChanged(snapshot.Routes)) Publish();
        };
        Configure(options);
        responder.Exchange = exchange;
    }

    /// <summary>Null unless keys, transfers, updates or secondaries are configured.</summary>
    public ZoneExchange? Exchange { get; }

    /// <summary>Keys, transfer rules, update policies and secondaries from <paramref name="config"/>; with errors the last good ones stay
    /// (at start, where there are none, the service refuses to start with them). Returns the errors, empty when applied.</summary>
    public IReadOnlyList<string> Configure(ServerOptions config)
    {
        if (Exchange is null) return [];
        config.Config ??= _configFile; // key files are relative to the config file
        var (errors, warnings) = (new List<string>(), new List<string>());
        var settings = ExchangeSettings.Build(config.ResolvedExchange(), errors, warnings);
        foreach (var warning in warnings) _log.LogWarning("{Warning}", warning);
        foreach (var error in errors) _log.LogError("Transfers/updates not (re)configured, last good kept: {Error}", error);
        if (errors.Count == 0 || Exchange.Settings == ExchangeSettings.Empty) Exchange.Configure(settings);
        _log.LogInformation("Exchange: {Keys} TSIG key(s) {Names}, transfers for {Zones} zone(s), {Policies} update polic(ies), {Secondaries} secondary zone(s)",
            settings.Keys.Keys.Count, string.Join(", ", settings.Keys.Keys), settings.Transfers.Count, settings.Updates.Count, settings.Secondaries.Count);
        return Errors = errors;
    }

    /// <summary>The errors of the last configuration (empty when it applied): the last good keys and rules serve meanwhile.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void SetFileZones(ZoneSet zones)
    {
        _fileZones = zones;
        Publish();
    }

    /// <summary>Hands the publisher the zone files, with what the exchange adds.</summary>
    public void Publish()
    {
        lock (_composing)
        {
            if (_stopped) return; // a watcher or secondary fired late
            if (Exchange is null) { _publisher.SetZones(_fileZones); return; }
            var zones = Exchange.WithSecondaries(_fileZones);
            _publisher.SetZones(Exchange.Compose(zones, _publisher.Current.Routes));
        }
    }

    /// <summary>Before the publisher stops: nothing is handed to it afterwards.</summary>
    public void Stop()
    {
        lock (_composing) _stopped = true;
    }

    public void Dispose() => Exchange?.Dispose();
}
