using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Publishing;
using GeoDns.Transfer;
using Microsoft.Extensions.Logging;

namespace GeoDns.Server;

/// <summary>
/// The zone exchange, when keys, transfers, updates or secondaries are configured: made from the config, handed to
/// the responder (the messages it diverts) and to the publisher (the composer of served zones), and reconfigured on reload.
/// </summary>
internal sealed class ExchangeSetup : IDisposable
{
    private readonly string? _configFile;
    private readonly ILogger _log;
    private readonly Func<IReadOnlyCollection<DnsName>> _servedZones;
    private Publisher? _publisher;

    /// <param name="servedZones">The zones loaded from files now: update policies without a zone are checked against them.</param>
    public ExchangeSetup(ServerOptions options, Responder responder, TimeProvider time, ILoggerFactory logs, Func<IReadOnlyCollection<DnsName>> servedZones)
    {
        (_configFile, _log, _servedZones) = (options.Config, logs.CreateLogger<ExchangeSetup>(), servedZones);
        if (!options.Exchange.Configured) return;
        Exchange = new ZoneExchange(responder, options.Data, time, logs.CreateLogger<ZoneExchange>(), SourceAddresses.From(options.Endpoints()));
        Configure(options);
        responder.Exchange = Exchange;
    }

    /// <summary>Null unless keys, transfers, updates or secondaries are configured.</summary>
    public ZoneExchange? Exchange { get; }

    /// <summary>Lets the exchange ask <paramref name="publisher"/> to compose again: a new secondary copy, an UPDATE (answered once it is served, RFC 2136 §3.7).</summary>
    public void Attach(Publisher publisher)
    {
        if (Exchange is not { } exchange) return;
        _publisher = publisher;
        exchange.SecondariesChanged += publisher.Recompose;
        exchange.SerialsMoved += publisher.SerialsMoved;
        exchange.Republish = () =>
        {
            publisher.Recompose();
            publisher.FlushAsync().Wait(TimeSpan.FromSeconds(10));
        };
    }

    /// <summary>Keys, transfer rules, update policies and secondaries from <paramref name="config"/>; with errors the last good ones stay
    /// (at start, where there are none, the service refuses to start with them). Returns the errors, empty when applied.</summary>
    public IReadOnlyList<string> Configure(ServerOptions config)
    {
        if (Exchange is null) return [];
        config.Config ??= _configFile; // key files are relative to the config file
        var (errors, warnings) = (new List<string>(), new List<string>());
        var settings = ExchangeSettings.Build(config.ResolvedExchange(), errors, warnings, _servedZones());
        foreach (var warning in warnings) _log.LogWarning("{Warning}", warning);
        foreach (var error in errors) _log.LogError("Transfers/updates not (re)configured, last good kept: {Error}", error);
        if (errors.Count == 0 || Exchange.Settings == ExchangeSettings.Empty)
        {
            Exchange.Configure(settings);
            _publisher?.Recompose(); // which zones carry their pools in transfers may have changed
        }
        _log.LogInformation("Exchange: {Keys} TSIG key(s) {Names}, transfers for {Zones} zone(s), {Policies} update polic(ies), {Secondaries} secondary zone(s)",
            settings.Keys.Keys.Count, string.Join(", ", settings.Keys.Keys), settings.Transfers.Count, settings.Updates.Count, settings.Secondaries.Count);
        return Errors = errors;
    }

    /// <summary>The errors of the last configuration (empty when it applied): the last good keys and rules serve meanwhile.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void Dispose() => Exchange?.Dispose();
}
