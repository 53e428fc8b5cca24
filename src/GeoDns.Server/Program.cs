using GeoDns.Configuration;
using GeoDns.Server;

if (args.Contains("--version"))
{
    Console.WriteLine($"geodns {ProgramVersion.Text}");
    return 0;
}
var check = args.Contains("--check");
var options = CommandLine.Parse([.. args.Where(a => a != "--check")], out var error);
if (options is null)
{
    // The usage for --help only: after a config file's error (file:line: key) it would bury the line that matters.
    if (error != "") Console.Error.WriteLine(check ? $"error: {error}" : $"geodns: {error}");
    else Console.Error.WriteLine(CommandLine.Usage);
    return error == "" ? 0 : check ? 1 : 2;
}
if (check) return ConfigCheck.Run(options, Console.Out);
_ = GeoDns.Diagnostics.GcPauses.Shared; // the collector's pauses are counted from the start
try
{
    await GeoDnsHost.Create(options).RunAsync();
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or System.Net.Sockets.SocketException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"geodns: {e.Message}");
    return 1;
}
