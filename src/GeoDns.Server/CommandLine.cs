using GeoDns.Server.Admin;

namespace GeoDns.Server;

/// <summary>Reads the command line (and the config file it names) into <see cref="ServerOptions"/>.</summary>
public static class CommandLine
{
    public const string Usage = """
        geodns: an authoritative, health-checking GeoDNS server

        Usage: GeoDns.Server [options]
          --zones DIR         serve every DIR/NAME.zone as the zone NAME        (default: zones)
          --listen ADDR:PORT  UDP and TCP address; repeat for more, e.g.
                              --listen 0.0.0.0:53 --listen [::]:53          (default: 127.0.0.1:5353)
          --config FILE       JSON settings: pools, probes (see README: Configuration);
                              reloaded when it changes
          --data DIR          drains, overrides and health history (LiteDB)  (default: data)
          --admin ADDR:PORT   HTTP admin endpoint and dashboard, or 'off'    (default: 127.0.0.1:8053)
          --admin-token-file FILE
                              bearer token for changes (and for reads from beyond
                              loopback); also adminToken in the config or the
                              GEODNS_ADMIN_TOKEN environment variable. Required when
                              --admin is not a loopback address
          --degraded          start even if a zone or pool fails to load (answer what
                              loaded; /healthz says 503 with the reasons). Without it
                              such a failure stops the start, naming file and line
          --check             read the config and every zone, print each problem with
                              its file and line, and exit: 0 if the server would start
          --version           print the version and exit
          --help              show this text

        Zone files are reloaded when they change, and on SIGHUP.
        """;

    private static readonly string[] Options = ["--zones", "--listen", "--config", "--data", "--admin", "--admin-token-file"];

    /// <summary>Returns the options, or null with <paramref name="error"/> set ("" for --help).</summary>
    public static ServerOptions? Parse(string[] args, out string error)
    {
        error = "";
        var single = new Dictionary<string, string>();
        var listen = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") return null;
            if (arg == "--degraded")
            {
                single[arg] = "true";
                continue;
            }
            if (!Options.Contains(arg)) return Fail(out error, $"unknown option '{arg}' (--help lists the options)");
            if (i + 1 >= args.Length) return Fail(out error, $"{arg} needs a value (--help lists the options)");
            if (arg == "--listen") listen.Add(args[++i]);
            else single[arg] = args[++i];
        }
        var config = single.GetValueOrDefault("--config");
        var options = config is null ? new ServerOptions() : ConfigFile.Load(config, out error);
        if (options is null) return null;
        options.Config = config;
        if (single.TryGetValue("--zones", out var zones)) options.Zones = zones;
        if (single.TryGetValue("--data", out var data)) options.Data = data;
        if (single.TryGetValue("--admin", out var admin)) options.Admin = admin;
        if (single.TryGetValue("--admin-token-file", out var tokenFile)) (options.AdminTokenFile, options.AdminToken) = (tokenFile, null);
        if (listen.Count > 0) options.Listen = listen;
        if (single.ContainsKey("--degraded")) options.StartDegraded = true;
        if (options.Rrl.Validate().Concat(options.Cookies.Validate()).Concat(options.Transport.Validate()).Concat(options.Exchange.Validate()).Concat(options.Alerts.Validate(config)).FirstOrDefault() is { } invalid)
            return Fail(out error, $"{config ?? "config"}: {invalid}");
        try
        {
            _ = options.Endpoints();
        }
        catch (FormatException e)
        {
            return Fail(out error, e.Message);
        }
        // Checked now so that a bad admin setting is a usage error, not a failure after start-up.
        return AdminSettings.Resolve(options, Environment.GetEnvironmentVariable, out error) is null ? null : options;
    }

    private static ServerOptions? Fail(out string error, string message)
    {
        error = message;
        return null;
    }
}
