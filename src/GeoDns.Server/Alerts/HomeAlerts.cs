using GeoDns.Alerts;
using GeoDns.Persistence;
using GeoDns.Server.Admin;

namespace GeoDns.Server.Alerts;

/// <summary>
/// This nameserver's own alerts, as <c>alerts</c> configures them: the channels, a dispatcher whose log is the state
/// file, and the <see cref="HomeWatch"/>. Read at start only: a changed <c>alerts</c> takes a restart.
/// </summary>
public sealed class HomeAlerts : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly AlertDispatcher _dispatcher;

    private HomeAlerts(HttpClient http, AlertDispatcher dispatcher, StoredAlertLog log, HomeWatch watch) =>
        (_http, _dispatcher, Log, Watch) = (http, dispatcher, log, watch);

    /// <summary>How long a stop waits for messages to go out.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    public StoredAlertLog Log { get; }

    public HomeWatch Watch { get; }

    /// <summary>
    /// Starts them; null when there is nothing to do: no channel, <c>alerts.homeSilentAfter</c> 0, or no admin token
    /// (without one no request can show that the home is there; that is logged).
    /// </summary>
    public static HomeAlerts? Start(ServerOptions options, AdminSettings admin, Observations seen, HealthStore store, TimeProvider time, ILoggerFactory logs)
    {
        var alerts = options.Alerts;
        if (alerts.Channels.Count == 0 || alerts.HomeSilentAfter == TimeSpan.Zero) return null;
        var logger = logs.CreateLogger<HomeAlerts>();
        if (admin.Endpoint is null || admin.Token is null)
        {
            logger.LogWarning("Alerts: the home is not watched: {Reason}, so no request can show it is there (alerts.homeSilentAfter needs both)",
                admin.Endpoint is null ? "the admin endpoint is off" : "no admin token is set");
            return null;
        }
        var resolved = alerts.Resolved(options.Config);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var channels = resolved.Channels.Select(c => AlertChannels.Create(c, http)).ToList();
        var log = new StoredAlertLog(store, channels.Select(c => c.Label));
        var name = options.Name ?? Environment.MachineName;
        var dispatcher = new AlertDispatcher(name, resolved, channels, log, time, logger);
        dispatcher.Resume(); // a restart while a channel was down still gets its message through
        var watch = new HomeWatch(alerts.HomeSilentAfter, seen.Home, dispatcher, () => NameserverSituation.Describe(seen), time);
        logger.LogInformation("Alerts as {Name} on {Channels}: when no request with the admin token comes for {After}, the home is reported silent",
            name, string.Join(", ", channels.Select(c => c.Label)), HomeWatch.Span(alerts.HomeSilentAfter));
        return new HomeAlerts(http, dispatcher, log, watch);
    }

    /// <summary>
    /// Before the state file closes. An alert still in its group window goes out first (for at most
    /// <see cref="StopWait"/>): its incident is firing in the log already, so after the restart it would not be sent at all.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Watch.Dispose();
        try
        {
            await _dispatcher.FlushAsync().WaitAsync(StopWait);
        }
        catch (TimeoutException)
        {
            // a channel that does not answer must not hold the stop up; its delivery is cancelled below
        }
        await _dispatcher.DisposeAsync();
        _http.Dispose();
    }
}
