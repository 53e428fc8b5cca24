namespace GeoDns.Sidecar;

/// <summary>A parsed command line: the command words and the options around them.</summary>
public sealed record Invocation(IReadOnlyList<string> Words, string ConfigPath, string? DataDirectory)
{
    public const string Usage = """
        geodns-sidecar: keeps the home's WireGuard tunnels to the edges, and replaces dead or attacked edges

        Usage: geodns-sidecar [--config FILE] [--data DIR] COMMAND
          keys                   generate missing WireGuard keys, write every config, print the public keys
          bootstrap              create the config's edges that have no address yet, provision every edge,
                                 add them on every nameserver and wait until all are Up
          certificates           install the home's certificate on every live edge (certbot's deploy hook)
          wg render              write the home's peers file and each edge's wg0.conf and nginx.conf
          rotate EDGE            replace EDGE by a fresh VPS (resumes EDGE's unfinished rotation, if any)
          status                 the edges and the recent rotations, with the reason of any failure
          check [--json]         the whole chain from outside: delegation, nameservers, pool answers, edges'
                                 certificates, tunnels, rotation budget; exit 1 when a check fails
          run                    daemon: rotate edges that stay Down; POST /v1/rotate/EDGE on the listen address
          local-edge ADDR:PORT [--for DURATION]
                                 a TCP listener standing in for an edge VPS (deploy/hooks/local)

          --config FILE          the sidecar's JSON config                          (default: sidecar.json)
          --data DIR             its state: keys, edges, rotation journal (LiteDB)  (default: from the config)
          --version              print "geodns-sidecar VERSION" and exit
          --help                 show this text
        """;

    /// <summary>Returns the invocation, or null with <paramref name="error"/> set ("" for --help).</summary>
    public static Invocation? Parse(string[] args, out string error)
    {
        error = "";
        var words = new List<string>();
        string config = "sidecar.json";
        string? data = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") return null;
            if (arg is "--config" or "--data")
            {
                if (i + 1 >= args.Length) return Fail(out error, $"{arg} needs a value");
                if (arg == "--config") config = args[++i];
                else data = args[++i];
            }
            else words.Add(arg);
        }
        var known = words switch
        {
            ["keys"] or ["bootstrap"] or ["certificates"] or ["wg", "render"] or ["status"] or ["run"] or ["rotate", _] or ["check"] or ["check", "--json"] or ["local-edge", _] or ["local-edge", _, "--for", _] => true,
            _ => false,
        };
        return known ? new Invocation(words, config, data) : Fail(out error, words.Count == 0 ? "no command" : $"unknown command '{string.Join(' ', words)}'");
    }

    private static Invocation? Fail(out string error, string message)
    {
        error = message;
        return null;
    }
}
