using GeoDns.Pools;
using GeoDns.Server;
using GeoDns.Transfer;

namespace GeoDns.Fuzz;

/// <summary>
/// The config loader: whatever a <c>geodns.json</c> goes through before the server starts, as <c>--config</c> reads
/// it (<see cref="CommandLine.Parse"/>: the JSON, the RRL, cookie and transport checks, the listen addresses, the
/// admin settings), then the pools against <see cref="FuzzZones"/> and the exchange settings, as <c>--check</c> does.
/// Any file is options or an error message, never an exception.
/// </summary>
public static class ConfigTarget
{
    // CommandLine.Parse reads a file, as the server does: one per process, rewritten for each input.
    private static readonly string File = Path.Combine(Directory.CreateTempSubdirectory("geodns-fuzz-").FullName, "geodns.json");

    /// <summary>The first problem found, or empty when the server would start with this config.</summary>
    public static string Run(byte[] input)
    {
        System.IO.File.WriteAllBytes(File, input);
        var options = CommandLine.Parse(["--config", File], out var error);
        if (options is null) return error.Length > 0 ? error : throw new InvalidOperationException("no options and no error");
        var (_, poolErrors) = PoolSetBuilder.Build(options.Pools, FuzzZones.Set);
        if (poolErrors.Count > 0) return poolErrors[0];
        if (!options.Exchange.Configured) return "";
        var errors = new List<string>();
        ExchangeSettings.Build(options.ResolvedExchange(), errors, [], [FuzzZones.Origin]);
        return errors.Count > 0 ? errors[0] : "";
    }
}
