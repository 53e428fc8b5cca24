using System.Text;
using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The top-level README's tour as a new user types it, in one bash session on loopback: the run
/// command of "Two commands" (started in the background, as the reader's first terminal holds it)
/// with the dig lines of <c>&lt;!-- tour:dig --&gt;</c>, then the pools example and the admin examples
/// (<c>&lt;!-- tour:pools --&gt;</c>, <c>&lt;!-- tour:admin --&gt;</c>) against the server they start.
/// Three things are added around them, never inside: every curl fails the run on an HTTP error (as
/// written, curl would print the 403 and go on); a dig whose comment names the answer is repeated,
/// bounded, until it gives that answer ("within seconds"); and whatever is left running is stopped by
/// PID at the end.
/// </summary>
[Collection(ReleaseBuilds.Name)]
public sealed partial class ReadmeTourTests
{
    private static readonly string Readme = File.ReadAllText(Repository.File("README.md"));

    [SkippableFact]
    public async Task Tour_RunsAsWritten()
    {
        Skip.If(new[] { "dig", "curl", "python3" }.Any(t => Executables.Find(t) is null), "the README's examples need dig, curl and python3");
        Skip.IfNot(ReadmeServer.PortsFree(), $"127.0.0.1:{ReadmeServer.DnsPort} or :{ReadmeServer.AdminPort} is taken by something else on this machine");
        using var scratch = new Scratch();
        var script = new StringBuilder("""
            set -eo pipefail
            trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
            curl() {
              local code
              code=$(command curl -sS -o "$TOUR/body" -w '%{http_code}' "$@")
              cat "$TOUR/body"; echo
              case $code in 2*) ;; *) echo "HTTP $code from: curl $*" >&2; return 1 ;; esac
            }
            expect_answer() {
              local want=$1 got; shift
              for _ in $(seq 180); do
                got=$("$@" | grep -E '^[0-9.]+$' | sort | tr '\n' ' ' | sed 's/ $//' || true)
                [ "$got" = "$want" ] && { echo "$got"; return 0; }
                sleep 1
              done
              echo "after 180 s, '$*' answers '$got', not '$want'" >&2; return 1
            }

            """);
        // The reader's first terminal: the run command, in the background here, until its port answers.
        script.AppendLine($"{RunCommand()} &");
        script.AppendLine("for _ in $(seq 600); do dig @127.0.0.1 -p 5353 example.com SOA +short +time=1 +tries=1 | grep -q . && break; sleep 0.5; done");
        foreach (var line in Tour("dig")) script.AppendLine(Expected(line));
        script.AppendLine("kill %1; wait %1 || true");
        script.AppendLine("for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/8053) 2>/dev/null || break; sleep 0.2; done");
        foreach (var line in Tour("pools").Concat(Tour("admin")))
            script.AppendLine(Expected(line));
        File.WriteAllText(scratch["tour.sh"], script.ToString());

        // The example's state lives in the checkout's data/ (its config says so): a fresh one for the tour,
        // so an earlier tour's drain cannot change the answers, and the checkout left as it was found.
        var data = Repository.File("data");
        var aside = $"{data}.before-tour-{Environment.ProcessId}";
        if (Directory.Exists(data)) Directory.Move(data, aside);
        Script.Result run;
        try
        {
            run = await Script.RunAsync("bash", [scratch["tour.sh"]], TimeSpan.FromMinutes(6), environment: new Dictionary<string, string> { ["TOUR"] = scratch.Path });
        }
        finally
        {
            // The tour's last line stopped the server it started; it lets go of data/ once gone.
            await Eventually(ReadmeServer.PortsFree, "the README's server stopped");
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
            if (Directory.Exists(aside)) Directory.Move(aside, data);
        }

        Assert.True(run.ExitCode == 0, $"{run.Describe()}\n--- script\n{script}");
        Assert.Contains("\"removed\": \"edge-lon\"", run.Stdout);
        Assert.Contains("geodns_edge_state{", run.Stdout);
        Assert.Contains("\"/v1/edges\"", run.Stdout);
        Assert.Contains("127.0.0.30", run.Stdout);
    }

    [Fact]
    public void TourBlocks_AreMarked_AndTheServerRunsInTheBackground()
    {
        var pools = Tour("pools");
        Assert.Contains(pools, l => l.StartsWith("export GEODNS_ADMIN_TOKEN=", StringComparison.Ordinal));
        Assert.All(pools.Where(l => l.StartsWith("dotnet run", StringComparison.Ordinal)), l => Assert.Matches(@"&\s+(#.*)?$", l));
        Assert.Contains(Tour("admin"), l => l.StartsWith("kill %1 %3 %4", StringComparison.Ordinal));
    }

    [Fact]
    public void RunCommand_IsTheFirstOfTheTwoCommands()
    {
        Assert.Equal("dotnet run -c Release --project src/GeoDns.Server", RunCommand());
        Assert.All(Tour("dig"), l => Assert.StartsWith("dig @127.0.0.1 -p 5353 ", l, StringComparison.Ordinal));
    }

    /// <summary>The first line of the "Two commands" block, without its comment.</summary>
    private static string RunCommand()
    {
        var block = Regex.Match(Readme, @"## Two commands\n.*?```sh\n(?<first>[^\n]*)\n", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no ```sh block under \"## Two commands\"");
        return block.Groups["first"].Value.Split('#')[0].Trim();
    }

    /// <summary>A dig line whose comment names its answer becomes a bounded wait for that answer; any other line stays as written.</summary>
    private static string Expected(string line) =>
        Expectation().Match(line) is { Success: true } m
            ? $"expect_answer '{string.Join(' ', m.Groups["addresses"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))}' {m.Groups["dig"].Value}"
            : line;

    /// <summary>The lines of the fenced block right after <c>&lt;!-- tour:NAME --&gt;</c>.</summary>
    private static string[] Tour(string name)
    {
        var block = Regex.Match(Readme, $@"<!-- tour:{name} -->\n```sh\n(?<body>.*?)\n```", RegexOptions.Singleline);
        Assert.True(block.Success, $"README.md has no ```sh block marked <!-- tour:{name} -->");
        return block.Groups["body"].Value.Split('\n');
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), $"timed out waiting until {what}");
    }

    /// <summary>A dig line whose comment is the answer it gives: "dig ... +short   # [within seconds: ]127.0.0.11 127.0.0.13".</summary>
    [GeneratedRegex(@"^(?<dig>dig [^#]*\+short)\s*#\s*(within seconds:\s*)?(?<addresses>(\d+\.\d+\.\d+\.\d+\s*)+)$")]
    private static partial Regex Expectation();
}
