using System.Net;
using GeoDns.Cookies;
using GeoDns.Pools;
using GeoDns.RateLimiting;
using GeoDns.Transport;

namespace GeoDns.Server;

/// <summary>What the server runs with: the command line, over the JSON config file, over these defaults.</summary>
public sealed class ServerOptions
{
    public const string DefaultListen = "127.0.0.1:5353";
    public const string DefaultAdmin = "127.0.0.1:8053";

    /// <summary>Directory of zone files: every <c>NAME.zone</c> in it is the zone NAME.</summary>
    public string Zones { get; set; } = "zones";

    /// <summary>Addresses to serve on, UDP and TCP each, e.g. <c>0.0.0.0:53</c> and <c>[::]:53</c>.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>The JSON config file these options were read from, if any.</summary>
    /// <remarks>Set from <c>--config</c>, never from the file itself: a "config" key there would be overwritten at start, yet on a
    /// reload it would move where the exchange's key files are looked for. So the loader rejects it as an unknown key.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Config { get; set; }

    /// <summary>Directory of the LiteDB file that keeps drains, forced states and the health history.</summary>
    public string Data { get; set; } = "data";

    public const string DefaultGeoDatabase = "geo-whois-asn-country.mmdb";

    /// <summary>MaxMind-format database of client locations (default: <see cref="DefaultGeoDatabase"/> in the data directory);
    /// missing means pool answers are not geo-weighted, with a warning when this was set.</summary>
    public string? GeoDatabase { get; set; }

    /// <summary>Computed, so no key: without [JsonIgnore] the loader would take "geoDatabasePath" silently and ignore it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string GeoDatabasePath => GeoDatabase ?? Path.Combine(Data, DefaultGeoDatabase);

    /// <summary>Start even when a zone or pool fails to load (answering what did load, /healthz 503); by default that refuses to start.</summary>
    public bool StartDegraded { get; set; }

    /// <summary>Names answered from the healthy edges of a pool.</summary>
    public List<PoolOptions> Pools { get; set; } = [];

    public TransportOptions Transport { get; set; } = new();

    /// <summary>Response rate limiting of UDP replies (README: Facing the Internet); a reload applies changes, keeping the bucket table unless its size changed.</summary>
    public RateLimitOptions Rrl { get; set; } = new();

    /// <summary>DNS Cookies (README: Facing the Internet); a reload applies changes, keeping the secret unless the secret file changed.</summary>
    public DnsCookieOptions Cookies { get; set; } = new();

    /// <summary>HTTP admin endpoint, ADDR:PORT; "" or "off" turns it off. Beyond loopback it needs a token.</summary>
    public string Admin { get; set; } = DefaultAdmin;

    /// <summary>Bearer token for changes through the admin endpoint (and for reads from beyond loopback).</summary>
    public string? AdminToken { get; set; }

    /// <summary>A file holding the admin token (surrounding whitespace ignored), so it stays out of the config.</summary>
    public string? AdminTokenFile { get; set; }

    /// <summary>Zone exchange: TSIG key files, transfers and NOTIFY, dynamic update, secondary zones (README: Zone transfers).</summary>
    public GeoDns.Transfer.ExchangeOptions Exchange { get; set; } = new();

    /// <summary><see cref="Exchange"/> with its key files relative to the config file (where the config was read from), as the engine reads them.</summary>
    public GeoDns.Transfer.ExchangeOptions ResolvedExchange()
    {
        var directory = Config is null ? "." : Path.GetDirectoryName(Path.GetFullPath(Config))!;
        return new()
        {
            KeyFiles = [.. Exchange.KeyFiles.Select(f => Path.IsPathRooted(f) ? f : Path.Combine(directory, f))],
            Transfers = Exchange.Transfers,
            Updates = Exchange.Updates,
            Secondaries = Exchange.Secondaries,
            NotifyInterval = Exchange.NotifyInterval,
            NotifyAttempts = Exchange.NotifyAttempts,
            MaxDynamicRecords = Exchange.MaxDynamicRecords,
            MaxDynamicBytes = Exchange.MaxDynamicBytes,
            Workers = Exchange.Workers,
            Queue = Exchange.Queue,
        };
    }

    /// <summary>This nameserver's name, the first word of its alerts (e.g. <c>ns1</c>); null: the machine's host name.</summary>
    public string? Name { get; set; }

    /// <summary>Where this nameserver's own alerts go, and when it speaks for the home (<c>homeSilentAfter</c>); read at start only.</summary>
    public Alerts.NameserverAlertOptions Alerts { get; set; } = new();

    /// <summary>Quiet time after the last change in the zone directory before reloading.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The keys that differ between two configs and are read only at start (a reload applies pools, the exchange's contents, rrl and cookies).</summary>
    public static IReadOnlyList<string> RestartNeeded(ServerOptions running, ServerOptions fresh)
    {
        var changed = new List<string>();
        if (!running.Listen.SequenceEqual(fresh.Listen)) changed.Add("listen");
        if (running.Zones != fresh.Zones) changed.Add("zones");
        if (running.Data != fresh.Data) changed.Add("data");
        if (running.GeoDatabase != fresh.GeoDatabase) changed.Add("geoDatabase");
        if (running.Admin != fresh.Admin) changed.Add("admin");
        if (running.AdminToken != fresh.AdminToken || running.AdminTokenFile != fresh.AdminTokenFile) changed.Add("adminToken");
        if (System.Text.Json.JsonSerializer.Serialize(running.Transport) != System.Text.Json.JsonSerializer.Serialize(fresh.Transport)) changed.Add("transport");
        if (running.ReloadDebounce != fresh.ReloadDebounce) changed.Add("reloadDebounce");
        // The dispatcher and its channels are built once: a restart is simpler than handing over incidents mid-delivery.
        if (running.Name != fresh.Name) changed.Add("name");
        if (System.Text.Json.JsonSerializer.Serialize(running.Alerts) != System.Text.Json.JsonSerializer.Serialize(fresh.Alerts)) changed.Add("alerts");
        // The exchange is created at start only when configured: a reload changes its contents, not whether it runs.
        if (running.Exchange.Configured != fresh.Exchange.Configured) changed.Add("exchange");
        // The queue and its threads are made with the responder, before anything is served.
        if (running.Exchange.Workers != fresh.Exchange.Workers) changed.Add("exchange.workers");
        if (running.Exchange.Queue != fresh.Exchange.Queue) changed.Add("exchange.queue");
        return changed;
    }

    public IReadOnlyList<IPEndPoint> Endpoints() =>
        (Listen.Count == 0 ? [DefaultListen] : Listen).Select(ParseEndpoint).ToList();

    public static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':')
            ? endpoint
            : throw new FormatException($"listen address '{text}' is not ADDR:PORT (e.g. 127.0.0.1:5353 or [::1]:5353)");
}
