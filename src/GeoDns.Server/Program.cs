using GeoDns.Server;

var options = CommandLine.Parse(args, out var error);
if (options is null)
{
    // The usage for --help only: after a config file's error (file:line: key) it would bury the line that matters.
    if (error != "") Console.Error.WriteLine($"geodns: {error}");
    else Console.Error.WriteLine(CommandLine.Usage);
    return error == "" ? 0 : 2;
}
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
