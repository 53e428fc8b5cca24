using System.CommandLine;
using GeoDns.Configuration;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Firewall;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GeoDns.Sidecar.Cli;

/// <summary>
/// Runs a parsed command. <c>local-edge</c> needs nothing more; <c>check</c>, <c>emergency</c> and <c>alerts test</c> load
/// the config and ask the nameservers or the channels; every other command loads the config and opens the state file,
/// or, while <c>run</c> holds it, has the daemon answer <c>status</c>, <c>rotate</c> and <c>certificates</c> (one writer of
/// the journal); a nameserver's rotation is refused then. Exit codes: 0 done, 1 a failed rotation (or status showing one),
/// 2 a config error, 130 stopped by a signal (the journal lets the next start resume).
/// </summary>
public sealed class CommandRun(SidecarCommandLine cli, ParseResult parsed)
{
    private TextWriter Output => parsed.InvocationConfiguration.Output;

    private TextWriter Error => parsed.InvocationConfiguration.Error;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var command = cli.PathOf(parsed.CommandResult.Command);
        if (command == "local-edge") return await LocalEdgeCommand.RunAsync(parsed.GetValue(cli.Endpoint)!, parsed.GetValue(cli.For), stop);

        var options = SidecarOptions.Load(parsed.GetValue(cli.Config)!, out var problem);
        if (options is null) return Fail(problem);
        if (parsed.GetValue(cli.Data) is { } data) options.Data = data;
        // check asks the nameservers, and the daemon when `run` holds the state; it reads the state file only when that is free.
        if (command == "check")
        {
            // Where a rotation moved a nameserver, the state file says so (read when `run` does not hold it).
            foreach (var note in Fleet.FleetState.Read(options)) Error.WriteLine($"geodns-sidecar: {note}");
            return await CheckCommand.RunAsync(options, parsed.GetValue(cli.Json), Output, Error, stop);
        }
        // Nor does emergency: it is needed most while `run` runs.
        if (command is "emergency on" or "emergency off")
            return await EmergencyCommand.RunAsync(options, command == "emergency on", parsed.GetValue(cli.Pool),
                command == "emergency on" ? parsed.GetValue(cli.Reason) : null, Output, Error, stop);
        // alerts test opens no state either: it runs beside `run`.
        if (command == "alerts test")
        {
            if (options.Alerts.Problems().ToList() is { Count: > 0 } wrong) return Fail(string.Join("\n", wrong));
            return await AlertsCommand.TestAsync(options, Output, stop);
        }
        var json = command is "status" or "bootstrap" or "upgrade" or "rotate" && parsed.GetValue(cli.Json);

        using var logs = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = ProgramVersion.LogTimestamp;
            });
            // With --json, stdout holds the document and nothing else: log lines go to stderr.
            if (json) b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // Kestrel would log every request to the endpoint; our own lines say what matters.
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        // status checks the home firewall itself: the running daemon checked it only at its start.
        var firewall = command == "status" ? await HomeFirewall.CheckAsync(options, TimeProvider.System, stop) : null;
        // So does the emergency answer: the nameservers are asked, whoever holds the state.
        var emergency = command == "status" ? await StatusCommand.EmergencyAsync(options, stop) : null;
        var opened = SidecarSession.Open(options, TimeProvider.System, logs);
        if (!opened.Ok)
        {
            // Held by a running `run`? Then status, rotate and certificates go through its endpoint.
            if (firewall is not null && !json) Output.WriteLine(firewall.Line);
            if (!json) StatusCommand.WriteEmergency(Output, options, emergency);
            string[] words = command == "rotate" ? [command, parsed.GetValue(cli.Edge)!] : [command];
            // A nameserver's rotation runs in this command only: it waits out the glue's TTL, an hour, which the daemon's endpoint does not hold.
            if (command == "rotate" && Fleet.NameserverRotator.IsNameserver(options, words[1]))
            {
                Error.WriteLine($"geodns-sidecar: {words[1]} is a fleet nameserver, and `run` holds the state: stop it first (systemctl stop geodns-sidecar), "
                    + $"run `geodns-sidecar rotate {words[1]}`, then start it again ({opened.Error})");
                return 1;
            }
            if (command is "status" or "rotate" or "certificates"
                && await DaemonClient.ForwardAsync(options, words, Output, json ? Error : Output, json ? firewall : null, json, stop, emergency) is { } answered)
                return answered;
            return Fail(opened.Error!);
        }
        using var session = opened.Value!;
        try
        {
            return await RunAsync(command, session, firewall, emergency, json, logs, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Error.WriteLine("geodns-sidecar: stopped; an unfinished rotation resumes with `rotate EDGE` (an edge's with `run` too)");
            return 130;
        }
    }

    private async Task<int> RunAsync(string command, SidecarSession session, FirewallState? firewall, IReadOnlyList<Reports.EmergencyReport>? emergency, bool json,
        ILoggerFactory logs, CancellationToken stop)
    {
        switch (command)
        {
            case "keys":
                return KeysCommand.Run(session, Output, printKeys: true);
            case "wg render":
                return KeysCommand.Run(session, Output, printKeys: false);
            case "certificates":
                return await CertificateDistribution.RunAsync(session, Output, stop);
            case "status":
                return StatusCommand.Run(session, Output, firewall, json, emergency);
        }
        // The rest rotate, or may: without nameservers (or their token) that is a config error, found before any step.
        if (session.RotationProblem is { } missing) return Fail(missing);
        switch (command)
        {
            case "bootstrap":
                return await BootstrapCommand.RunAsync(session, Output, json ? Error : Output, json, stop);
            case "upgrade":
                return await UpgradeCommand.RunAsync(session, parsed.GetValue(cli.Package), parsed.GetValue(cli.Edges), Output, json ? Error : Output, json, stop);
            case "rotate" when Fleet.NameserverRotator.IsNameserver(session.Options, parsed.GetValue(cli.Edge)!):
                return await RotateNameserverCommand.RunAsync(session, parsed.GetValue(cli.Edge)!, Output, json ? Error : Output, json, stop);
            case "rotate":
            {
                var rotated = await session.Engine.RotateAsync(parsed.GetValue(cli.Edge)!, "by hand", stop);
                if (json) Reports.ReportJson.Write<object>(Output, rotated.Value is { } record ? Reports.RotationReport.Of(record) : new { error = rotated.Error });
                else Output.WriteLine(rotated.Value?.Summary() ?? rotated.Error);
                return rotated.Ok ? 0 : 1;
            }
            case "run":
                await new SidecarDaemon(session, logs).RunAsync(stop);
                return 0;
            default:
                throw new InvalidOperationException($"the command '{command}' is in the command line but has no run");
        }
    }

    private int Fail(string message)
    {
        Error.WriteLine($"geodns-sidecar: {message}");
        return 2;
    }
}
