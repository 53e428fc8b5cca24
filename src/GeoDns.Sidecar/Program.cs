using System.Runtime.InteropServices;
using GeoDns.Sidecar.Cli;

// Ctrl-C and SIGTERM stop between or inside steps; the journal lets the next start resume. These handlers, not
// System.CommandLine's: its own would end the process after a grace period, perhaps in the middle of a step.
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

return await new SidecarCommandLine().InvokeAsync(args, Console.Out, Console.Error, stop.Token);
