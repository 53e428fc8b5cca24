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
          --help              show this text

        Zone files are reloaded when they change, and on SIGHUP.
        """;

    /// <summary>Returns the options, or null with <paramref name="error"/> set ("" for --help).</summary>
    public static ServerOptions? Parse(string[] args, out string error)
    {
        error = "";
        string? zones = null, config = null, data = null;
        var listen = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") return null;
            if (arg is not ("--zones" or "--listen" or "--config" or "--data")) return Fail(out error, $"unknown option '{arg}'");
            if (i + 1 >= args.Length) return Fail(out error, $"{arg} needs a value");
            var value = args[++i];
            if (arg == "--zones") zones = value;
            else if (arg == "--config") config = value;
            else if (arg == "--data") data = value;
            else listen.Add(value);
        }
        var options = config is null ? new ServerOptions() : ConfigFile.Load(config, out error);
        if (options is null) return null;
        options.Config = config;
        if (zones is not null) options.Zones = zones;
        if (data is not null) options.Data = data;
        if (listen.Count > 0) options.Listen = listen;
        try
        {
            _ = options.Endpoints();
        }
        catch (FormatException e)
        {
            return Fail(out error, e.Message);
        }
        return options;
    }

    private static ServerOptions? Fail(out string error, string message)
    {
        error = message;
        return null;
    }
}
