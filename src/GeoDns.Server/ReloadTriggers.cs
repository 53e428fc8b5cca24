using System.Runtime.InteropServices;

namespace GeoDns.Server;

/// <summary>What starts a reload, through <see cref="Operations"/>: a zone file, the config file or the geo database changing on disk, and SIGHUP (config, then zones).</summary>
internal static class ReloadTriggers
{
    /// <param name="zoneFile">Which paths of the zone directory are zone files (editors' temporary files are not).</param>
    public static IReadOnlyList<IDisposable> Start(ServerOptions options, TimeProvider time, Func<string, bool> zoneFile, Operations operations)
    {
        var triggers = new List<IDisposable>
        {
            new DirectoryWatcher(options.Zones, "*", options.ReloadDebounce, () => operations.ReloadZones("zone files changed"), time, zoneFile),
        };
        if (options.Config is { } config)
            triggers.Add(new DirectoryWatcher(Path.GetDirectoryName(Path.GetFullPath(config))!, Path.GetFileName(config), options.ReloadDebounce, operations.ReloadConfig, time));
        var geoPath = options.GeoDatabasePath;
        var geoDirectory = Path.GetDirectoryName(Path.GetFullPath(geoPath))!;
        if (Directory.Exists(geoDirectory))
            triggers.Add(new DirectoryWatcher(geoDirectory, Path.GetFileName(geoPath), options.ReloadDebounce, operations.ReloadGeo, time));
        triggers.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not exit
            operations.ReloadConfig();
            operations.ReloadZones("SIGHUP");
        }));
        return triggers;
    }
}
