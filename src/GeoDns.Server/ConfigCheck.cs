using GeoDns.Cookies;
using GeoDns.Files;
using GeoDns.Geo;
using GeoDns.Pools;
using GeoDns.Transfer;
using GeoDns.Zones;

namespace GeoDns.Server;

/// <summary>
/// <c>--check</c>: reads the config (already read by the command line), every zone file, the pools against the zones,
/// the key files, transfer and update rules, the cookie secret and the geo database, prints each problem with its file
/// and line, and exits: 0 when the server would start, 1 when it would refuse. Opens no socket and no state file,
/// so it can run beside the running server (as <c>named-checkconf -z</c> and <c>knotc conf-check</c> do).
/// </summary>
public static class ConfigCheck
{
    public static int Run(ServerOptions options, TextWriter output)
    {
        var (errors, warnings) = (new List<string>(), new List<string>());
        if (!Directory.Exists(options.Zones))
        {
            output.WriteLine($"error: zone directory '{Path.GetFullPath(options.Zones)}' does not exist (set it with --zones DIR)");
            return 1;
        }
        var directory = new ZoneDirectory(options.Zones, TimeProvider.System);
        var zones = directory.Reload();
        errors.AddRange(zones.Errors.Select(e => e.ToString()));
        warnings.AddRange(ZoneReport.Mistakes(directory, zones, options.Exchange.Secondaries.Count));
        var (pools, poolErrors) = PoolSetBuilder.Build(options.Pools, zones);
        errors.AddRange(poolErrors.Select(e => $"{options.Config ?? "config"}: {e}"));
        if (options.Exchange.Configured)
            ExchangeSettings.Build(options.ResolvedExchange(), errors, warnings, [.. zones.Zones.Select(z => z.Origin)]);
        if (options.Cookies.SecretFile is { Length: > 0 } secret)
        {
            try
            {
                if (CookieSecrets.Parse(File.ReadAllText(secret), secret, out var problem) is null) errors.Add(problem);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cookies.secretFile {FileProblem.Describe(secret, e)}");
            }
        }
        if (File.Exists(options.GeoDatabasePath) || options.GeoDatabase is not null)
        {
            if (GeoDatabase.TryOpen(options.GeoDatabasePath, out var problem) is null) warnings.Add($"geo database: {problem} (pool answers would not be geo-weighted)");
        }
        foreach (var warning in warnings) output.WriteLine($"warning: {warning}");
        foreach (var error in errors) output.WriteLine($"error: {error}");
        foreach (var zone in zones.Zones) output.WriteLine($"zone {zone.Origin} serial {zone.Serial}: {zone.Records.Count} records from {zone.File}");
        foreach (var pool in pools.Pools) output.WriteLine($"pool {pool.Name}: {pool.Edges.Count} edge(s) in the config");
        output.WriteLine(errors.Count == 0
            ? $"ok: {zones.Zones.Count} zone(s), {pools.Pools.Count} pool(s), {warnings.Count} warning(s)"
            : $"{errors.Count} error(s), {warnings.Count} warning(s): the server would not start (unless --degraded)");
        return errors.Count == 0 ? 0 : 1;
    }
}
