using System.Text.RegularExpressions;
using GeoDns.Sidecar.Cli;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The command line as scripts and the guide write it: every command with its arguments parses to that command, a
/// usage error is exit 2 naming the problem, and --help lists every command with its one-line description.
/// </summary>
public sealed class SidecarCommandLineTests
{
    /// <summary>Each line as a script writes it, and the command it must reach.</summary>
    public static TheoryData<string, string> Lines => new()
    {
        { "keys", "keys" },
        { "bootstrap", "bootstrap" },
        { "bootstrap --json", "bootstrap" },
        { "certificates", "certificates" },
        { "wg render", "wg render" },
        { "rotate edge-2", "rotate" },
        { "upgrade", "upgrade" },
        { "upgrade geodns_0.9.1_amd64.deb --edges --json", "upgrade" },
        { "status", "status" },
        { "status --json", "status" },
        { "check", "check" },
        { "check --json", "check" },
        { "alerts test", "alerts test" },
        { "emergency on", "emergency on" },
        { "emergency on --pool shop.example.com --reason flood", "emergency on" },
        { "emergency off", "emergency off" },
        { "emergency off --pool shop.example.com", "emergency off" },
        { "run", "run" },
        { "local-edge 127.0.0.1:9000", "local-edge" },
        { "local-edge 127.0.0.1:9000 --for 10m", "local-edge" },
        { "--config /etc/geodns/sidecar.json --data /var/lib/geodns-sidecar status", "status" },
        { "status --config /etc/geodns/sidecar.json --data /var/lib/geodns-sidecar", "status" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Command_WithItsArguments_Parses(string line, string command)
    {
        var cli = new SidecarCommandLine();

        var parsed = cli.Parse(line.Split(' '));

        Assert.Empty(parsed.Errors.Select(e => e.Message));
        Assert.Equal(command, cli.PathOf(parsed.CommandResult.Command));
    }

    [Fact]
    public void Lines_CoverEveryCommandOfTheTree()
    {
        var cli = new SidecarCommandLine();
        var covered = Lines.Select(row => (string)row[1]).ToHashSet();

        Assert.DoesNotContain(cli.Commands.Select(cli.PathOf), c => !covered.Contains(c));
    }

    [Fact]
    public void Values_ReachTheCommand()
    {
        var cli = new SidecarCommandLine();

        var rotate = cli.Parse(["--data", "/tmp/d", "rotate", "edge-2"]);
        var local = cli.Parse(["local-edge", "127.0.0.1:9000", "--for", "10m"]);
        var plain = cli.Parse(["status"]);

        Assert.Equal(("edge-2", "/tmp/d"), (rotate.GetValue(cli.Edge), rotate.GetValue(cli.Data)));
        Assert.Equal(("127.0.0.1:9000", TimeSpan.FromMinutes(10)), (local.GetValue(cli.Endpoint), local.GetValue(cli.For)));
        Assert.Equal("sidecar.json", plain.GetValue(cli.Config));
        Assert.Null(plain.GetValue(cli.Data));
        Assert.True(cli.Parse(["status", "--json"]).GetValue(cli.Json));
        Assert.False(plain.GetValue(cli.Json));
        var emergency = cli.Parse(["emergency", "on", "--pool", "shop.example.com", "--reason", "flood on every edge"]);
        Assert.Equal(("shop.example.com", "flood on every edge"), (emergency.GetValue(cli.Pool), emergency.GetValue(cli.Reason)));
    }

    [Theory]
    [InlineData("frobnicate", "unknown command 'frobnicate'")]
    [InlineData("wg frobnicate", "frobnicate")]
    [InlineData("keys extra", "extra")]
    [InlineData("rotate", "rotate")]
    [InlineData("local-edge 127.0.0.1:9000 --for soon", "'soon' is not a duration")]
    [InlineData("keys --json", "--json")]
    [InlineData("emergency off --reason done", "--reason")]
    [InlineData("status --config", "--config")]
    public async Task UsageError_Exit2_NamesIt_PrintsUsageOnStderr(string line, string named)
    {
        var (code, output, error) = await Invoke(line.Split(' '));

        Assert.Equal(2, code);
        Assert.StartsWith("geodns-sidecar: ", error);
        Assert.Contains(named, error.Split('\n')[0]); // the problem first, then the usage
        Assert.Contains("Usage: geodns-sidecar", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task NoCommand_Exit2()
    {
        var (code, _, error) = await Invoke([]);

        Assert.Equal(2, code);
        Assert.StartsWith("geodns-sidecar: ", error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_ListsEveryCommandWithItsDescription_Exit0(string help)
    {
        var cli = new SidecarCommandLine();

        var (code, output, _) = await Invoke([help]);

        Assert.Equal(0, code);
        Assert.StartsWith(SidecarCommandLine.Description, output);
        Assert.Contains("Usage: geodns-sidecar [--config FILE] [--data DIR] COMMAND", output);
        foreach (var command in cli.Commands)
            Assert.Matches($@"(?m)^  {Regex.Escape(cli.Synopsis(command))}\s+{Regex.Escape(command.Description!)}$", output);
        foreach (var option in new[] { "--config FILE", "--data DIR", "--version", "--help" })
            Assert.Matches($@"(?m)^  {Regex.Escape(option)}\s+\S", output);
        Assert.Contains("(default: sidecar.json)", output);
    }

    [Fact]
    public async Task CommandHelp_ShowsItsArgument()
    {
        var (code, output, _) = await Invoke(["rotate", "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("EDGE", output);
        Assert.Contains("replace EDGE or a fleet nameserver (ns1) by a fresh VPS", output);
    }

    [Fact]
    public async Task Version_PrintsTheProgramsNameAndVersion()
    {
        var (code, output, _) = await Invoke(["--version"]);

        Assert.Equal(0, code);
        Assert.Matches(@"^geodns-sidecar \d+\.\d+\.\d+\S*$", output.Trim());
    }

    [Fact]
    public async Task MissingConfig_Exit2_SaysWhich()
    {
        using var scratch = new Scratch();

        var (code, output, error) = await Invoke(["--config", scratch["none.json"], "status", "--json"]);

        Assert.Equal(2, code);
        Assert.Contains("none.json", error);
        Assert.Equal("", output);
    }

    private static async Task<(int Code, string Output, string Error)> Invoke(string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await new SidecarCommandLine().InvokeAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
