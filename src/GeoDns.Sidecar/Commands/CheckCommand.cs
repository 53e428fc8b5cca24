using System.Text.Json;
using GeoDns.Sidecar.Check;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>check [--json]</c>: one line per check (<see cref="CheckResult.Line"/>), or with <c>--json</c> the same as a JSON
/// array and nothing else on stdout. Exit 0 when every check passed, 1 when one failed, 2 when the config cannot be
/// checked. It never opens the state file for writing: it runs beside <c>run</c>.
/// </summary>
public static class CheckCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(SidecarOptions options, bool json, TextWriter output, TextWriter error, CancellationToken cancel, FleetCheck? check = null)
    {
        // The nameservers bootstrap bought: their addresses, from the copy beside the state file the daemon may hold.
        Fleet.FleetState.FillFromFile(options);
        if (FleetCheck.Problem(options) is { } problem)
        {
            error.WriteLine($"geodns-sidecar: {problem}");
            return 2;
        }
        check ??= new FleetCheck(options, TimeProvider.System);
        var results = await check.RunAsync(cancel);
        if (json) output.WriteLine(JsonSerializer.Serialize(results, Json));
        else
        {
            foreach (var result in results) output.WriteLine(result.Line());
            output.WriteLine($"{results.Count(r => r.Ok)} passed, {results.Count(r => !r.Ok)} failed in {check.Took.TotalSeconds:0.0} s");
        }
        return results.All(r => r.Ok) ? 0 : 1;
    }
}
