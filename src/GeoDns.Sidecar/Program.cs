using System.Runtime.InteropServices;
using GeoDns.Configuration;
using GeoDns.Sidecar;
using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Daemon;
using GeoDns.Sidecar.Firewall;
using Microsoft.Extensions.Logging;

if (args is ["--version"])
{
    Console.WriteLine($"geodns-sidecar {ProgramVersion.Text}");
    return 0;
}

var invocation = Invocation.Parse(args, out var error);
if (invocation is null)
{
    if (error != "") Console.Error.WriteLine($"geodns-sidecar: {error}\n");
    Console.Error.WriteLine(Invocation.Usage);
    return error == "" ? 0 : 2;
}

// Ctrl-C and SIGTERM stop between or inside steps; the journal lets the next start resume.
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

if (invocation.Words[0] == "local-edge")
{
    var lifetime = TimeSpan.Zero;
    if (invocation.Words.Count == 4 && !DurationConverter.TryParse(invocation.Words[3], out lifetime)) return Fail($"--for: '{invocation.Words[3]}' is not a duration");
    return await LocalEdgeCommand.RunAsync(invocation.Words[1], lifetime, stop.Token);
}

var options = SidecarOptions.Load(invocation.ConfigPath, out error);
if (options is null)
{
    Console.Error.WriteLine($"geodns-sidecar: {error}");
    return 2;
}
if (invocation.DataDirectory is { } data) options.Data = data;
if (invocation.Words[0] == "check") return await CheckCommand.RunAsync(options, invocation.Words is [_, "--json"], Console.Out, Console.Error, stop.Token);

using var logs = LoggerFactory.Create(b => b
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = ProgramVersion.LogTimestamp;
    })
    // Kestrel would log every request to the endpoint; our own lines say what matters.
    .AddFilter("Microsoft", LogLevel.Warning));
// status checks the home firewall itself: the running daemon checked it only at its start.
var firewall = invocation.Words[0] == "status" ? await HomeFirewall.CheckAsync(options, TimeProvider.System, stop.Token) : null;
var opened = SidecarSession.Open(options, TimeProvider.System, logs);
if (!opened.Ok)
{
    // Held by a running `run`? Then status and rotate go through its endpoint.
    if (firewall is not null) Console.WriteLine(firewall.Line);
    if (invocation.Words[0] is "status" or "rotate" or "certificates" && await DaemonClient.ForwardAsync(options, invocation.Words, Console.Out, stop.Token) is { } answered)
        return answered;
    Console.Error.WriteLine($"geodns-sidecar: {opened.Error}");
    return 2;
}
using var session = opened.Value!;
try
{
    switch (invocation.Words[0])
    {
        case "keys":
            return KeysCommand.Run(session, Console.Out, printKeys: true);
        case "bootstrap":
            if (session.RotationProblem is { } missing) return Fail(missing);
            return await BootstrapCommand.RunAsync(session, Console.Out, stop.Token);
        case "certificates":
            return await CertificateDistribution.RunAsync(session, Console.Out, stop.Token);
        case "wg":
            return KeysCommand.Run(session, Console.Out, printKeys: false);
        case "status":
            return StatusCommand.Run(session, Console.Out, firewall);
        case "rotate":
        {
            if (session.RotationProblem is { } problem) return Fail(problem);
            var rotated = await session.Engine.RotateAsync(invocation.Words[1], "by hand", stop.Token);
            Console.WriteLine(rotated.Value?.Summary() ?? rotated.Error);
            return rotated.Ok ? 0 : 1;
        }
        default:
        {
            if (session.RotationProblem is { } problem) return Fail(problem);
            await new SidecarDaemon(session, logs).RunAsync(stop.Token);
            return 0;
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("geodns-sidecar: stopped; an unfinished rotation resumes with `rotate EDGE` or `run`");
    return 130;
}

static int Fail(string message)
{
    Console.Error.WriteLine($"geodns-sidecar: {message}");
    return 2;
}
