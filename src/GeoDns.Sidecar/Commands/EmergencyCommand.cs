using GeoDns.Contracts;
using GeoDns.Sidecar.Admin;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>emergency on|off [--pool NAME] [--reason TEXT]</c>: every nameserver answers the pool (by default the sidecar's
/// <c>pool</c>) with its emergency records until it is turned off, or with its edges again. One line per nameserver, ok
/// or why not; exit 1 when one did not follow, saying how to retry (repeating is safe), 2 when the config cannot reach
/// the nameservers. It opens no state file: in an emergency it runs beside <c>run</c>.
/// </summary>
public static class EmergencyCommand
{
    public const string DefaultReason = "turned on by hand (geodns-sidecar emergency on)";

    public static async Task<int> RunAsync(SidecarOptions options, bool on, string? pool, string? reason, TextWriter output, TextWriter error, CancellationToken cancel,
        HttpMessageHandler? http = null)
    {
        // The nameservers bootstrap bought: their addresses, from the copy beside the state file the daemon may hold.
        Fleet.FleetState.FillFromFile(options);
        pool = (string.IsNullOrWhiteSpace(pool) ? options.Pool : pool).Trim().TrimEnd('.');
        var token = options.AdminTokenSecret();
        var problem = options.Nameservers.Count == 0 ? "nameservers: none listed" : pool == "" ? "pool: not set (or give --pool NAME)" : token.Error;
        if (problem is not null)
        {
            error.WriteLine($"geodns-sidecar: {problem}");
            return 2;
        }
        using var client = http is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : new HttpClient(http, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var nameservers = new Nameservers([.. options.Nameservers.Select(u => new NameserverClient(new Uri(u), token.Value!, client))], pool, options.Rotation, TimeProvider.System);
        var results = await nameservers.SetEmergencyAsync(pool, on, on ? reason ?? DefaultReason : null, cancel);
        var names = Daemon.FleetWatch.NameserverNames(options);
        for (var i = 0; i < results.Count; i++)
        {
            var (ns, outcome) = results[i];
            var label = names.ElementAtOrDefault(i) is { } name ? $"{name} ({ns})" : ns.ToString();
            output.WriteLine(outcome.Ok ? $"ok    {label}: {Describe(outcome.Value!)}" : $"FAIL  {label}: {outcome.Error}");
        }
        var failed = results.Count(r => !r.Outcome.Ok);
        var ours = pool.Equals(options.Pool.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
        string Command(string word) => $"geodns-sidecar emergency {word}{(ours ? "" : $" --pool {pool}")}";
        output.WriteLine(failed > 0
            ? $"{failed} of {results.Count} nameservers did not follow, and answer {pool} differently from the others: `{Command(on ? "on" : "off")}` again once they answer (repeating is safe)"
            : on ? $"every nameserver answers {pool} with its emergency records; resolvers follow within its degradedTtl. `{Command("off")}` ends it"
            : $"every nameserver answers {pool} with its edges again; resolvers follow within its degradedTtl");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The switch as one nameserver has it now, in a line.</summary>
    public static string Describe(EmergencyView view) =>
        view.On ? $"emergency answer on for {view.Pool} {Since(view)}" : $"emergency answer off for {view.Pool}: answering its edges";

    /// <summary>A switch that is on: since when, why, and what it answers.</summary>
    public static string Since(EmergencyView view) =>
        $"since {view.Since?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(view.Reason is { Length: > 0 } why ? $" ({why})" : "")}: answering {string.Join("; ", view.Records)}";
}
