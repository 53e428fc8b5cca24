using System.CommandLine;
using System.CommandLine.Help;
using GeoDns.Configuration;

namespace GeoDns.Sidecar.Cli;

/// <summary>
/// The sidecar's command line, in one place: every command with its arguments, options and one-line description.
/// The parser, <c>--help</c> (<see cref="UsageText"/>) and the tests that hold docs/configuration.md to it all read
/// this tree; <see cref="CommandRun"/> does what the parsed command says.
/// </summary>
public sealed class SidecarCommandLine
{
    public const string Description = "geodns-sidecar: keeps the home's WireGuard tunnels to the edges, and replaces dead or attacked edges";

    private readonly List<Command> _commands = [];
    private readonly Dictionary<Command, string> _paths = [];

    public SidecarCommandLine()
    {
        Root = new RootCommand(Description) { Config, Data };
        foreach (var option in Root.Options)
        {
            // Ours print what scripts and the docs expect: "geodns-sidecar VERSION", and the usage as it always read.
            if (option is VersionOption)
            {
                option.Description = "print \"geodns-sidecar VERSION\" and exit";
                option.Action = new VersionAction();
            }
            if (option is HelpOption { Action: { } help })
            {
                option.Description = "show this help (-h too)";
                option.Action = new UsageAction(this, help);
            }
        }
        Leaf(Root, "keys", "generate missing WireGuard keys, write every config, print the public keys");
        Leaf(Root, "bootstrap", "create the config's edges that have no address yet, provision every edge, add them on every nameserver and wait until all are Up", Json);
        Leaf(Root, "certificates", "install the home's certificate on every live edge (certbot's deploy hook)");
        var wg = new Command("wg", "the WireGuard files");
        Root.Subcommands.Add(wg);
        Leaf(wg, "render", "write the home's peers file and each edge's wg0.conf and nginx.conf");
        Leaf(Root, "upgrade", "install PACKAGE (default: fleet.package) on the nameservers one at a time, each back ready on its version before the next; roll back one that is not; --edges: then provision each edge again, drained meanwhile", Package, Edges, Json);
        Leaf(Root, "rotate", "replace EDGE or a fleet nameserver (ns1) by a fresh VPS (resumes its unfinished rotation, if any)", Edge, Json);
        Leaf(Root, "status", "the edges and the recent rotations, with the reason of any failure", Json);
        var emergency = new Command("emergency", "the pool's emergency answer on every nameserver");
        Root.Subcommands.Add(emergency);
        Leaf(emergency, "on", "every nameserver answers the pool with its emergency records (its config's emergency, else fallback) until turned off; one line per nameserver, exit 1 when one did not follow", Pool, Reason);
        Leaf(emergency, "off", "every nameserver answers the pool with its edges again; one line per nameserver, exit 1 when one did not follow", Pool);
        Leaf(Root, "check", "the whole chain from outside: delegation, nameservers, pool answers, edges' certificates, tunnels, rotation budget; exit 1 when a check fails", Json);
        var alerts = new Command("alerts", "the alert channels");
        Root.Subcommands.Add(alerts);
        Leaf(alerts, "test", "send a test message on every channel of alerts.channels; one line per channel, ok or why it failed; exit 1 when one failed");
        Leaf(Root, "run", "daemon: rotate edges that stay Down; POST /v1/rotate/EDGE on the listen address");
        Leaf(Root, "local-edge", "a TCP listener standing in for an edge VPS (deploy/hooks/local)", Endpoint, For);
    }

    public RootCommand Root { get; }

    public Option<string> Config { get; } = new("--config")
    {
        Description = "the sidecar's JSON config",
        HelpName = "FILE",
        DefaultValueFactory = _ => "sidecar.json",
        Recursive = true, // before or after the command, as scripts have written it
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "its state: keys, edges, rotation journal (LiteDB); default: from the config",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "print one JSON document on stdout instead of text (for scripts)" };

    public Option<TimeSpan> For { get; } = new("--for")
    {
        Description = "exit after DURATION (5s, 10m, 1h)",
        HelpName = "DURATION",
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (DurationConverter.TryParse(text, out var duration)) return duration;
            r.AddError($"--for: '{text}' is not a duration");
            return TimeSpan.Zero;
        },
    };

    public Argument<string?> Package { get; } = new("PACKAGE") { Description = "the geodns_VERSION_ARCH.deb to install", Arity = ArgumentArity.ZeroOrOne };

    public Option<bool> Edges { get; } = new("--edges") { Description = "then provision every edge again (its guard and config), one at a time, out of the answers meanwhile" };

    public Argument<string> Edge { get; } = new("EDGE") { Description = "the edge's name, as status lists it, or a fleet nameserver's (ns1)" };

    public Option<string?> Pool { get; } = new("--pool") { Description = "the pool (default: the config's pool)", HelpName = "NAME" };

    public Option<string?> Reason { get; } = new("--reason") { Description = "why, shown on every nameserver's dashboard, in /healthz and in the alert", HelpName = "TEXT" };

    public Argument<string> Endpoint { get; } = new("ADDR:PORT") { Description = "a loopback address and port" };

    /// <summary>Every command that runs something, in the order --help lists them: "keys", …, "wg render", ….</summary>
    public IReadOnlyList<Command> Commands => _commands;

    /// <summary>The words that name <paramref name="command"/> on the command line ("wg render").</summary>
    public string PathOf(Command command) => _paths.TryGetValue(command, out var path) ? path : command.Name;

    /// <summary>A command as --help and docs/configuration.md write it: <c>local-edge ADDR:PORT [--for DURATION]</c>.</summary>
    public string Synopsis(Command command) =>
        string.Join(' ', new[] { PathOf(command) }
            .Concat(command.Arguments.Select(a => a.Name))
            .Concat(command.Options.Select(o => o.HelpName is null ? $"[{o.Name}]" : $"[{o.Name} {o.HelpName}]")));

    public ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args);

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A usage error (an unknown command, a missing argument) is exit 2 with
    /// the problem and the usage on <paramref name="error"/>, as it always was; System.CommandLine's own would be 1.
    /// </summary>
    public async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var parsed = Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            // A word where a command belongs is an unknown command, as it always said; System.CommandLine would
            // first complain that no command was given.
            var problems = parsed.UnmatchedTokens.Count > 0 && parsed.CommandResult.Command.Subcommands.Count > 0
                ? [$"unknown command '{string.Join(' ', parsed.UnmatchedTokens)}'"]
                : parsed.Errors.Select(e => e.Message).ToList();
            foreach (var problem in problems) error.WriteLine($"geodns-sidecar: {problem}");
            error.WriteLine();
            error.Write(UsageText.Of(this));
            return 2;
        }
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Program.cs cancels on SIGTERM and Ctrl-C and waits for the step to stop; no forced exit after a grace period.
            ProcessTerminationTimeout = null,
            // An unexpected exception stays a crash with its stack trace, not a quiet exit 1.
            EnableDefaultExceptionHandler = false,
        };
        return await parsed.InvokeAsync(invocation, cancel);
    }

    private void Leaf(Command parent, string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else command.Options.Add((Option)symbol);
        }
        command.SetAction((parsed, cancel) => new CommandRun(this, parsed).RunAsync(cancel));
        parent.Subcommands.Add(command);
        _commands.Add(command);
        _paths[command] = parent is RootCommand ? name : $"{PathOf(parent)} {name}";
    }
}
