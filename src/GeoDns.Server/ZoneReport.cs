using GeoDns.Zones;

namespace GeoDns.Server;

/// <summary>
/// What the log says about the zones: a line per zone with its serial at start and on every reload, as other
/// authoritative servers do; and at start, the mistakes that would otherwise only show as REFUSED answers.
/// </summary>
internal static partial class ZoneReport
{
    /// <summary>Logs each zone loaded anew in <paramref name="zones"/> (a zone whose file failed keeps its previous version and is not repeated).</summary>
    public static void Loaded(ILogger log, ZoneSet zones, ZoneSet previous)
    {
        var kept = previous.Zones.ToHashSet();
        foreach (var zone in zones.Zones)
            if (!kept.Contains(zone)) ZoneLoaded(log, zone.Origin.ToString(), zone.Serial, zone.Records.Count, zone.File);
    }

    /// <summary>Logs the files of <paramref name="zones"/> that did not load; returns <paramref name="zones"/>.</summary>
    public static ZoneSet Errors(ILogger log, ZoneSet zones, bool atStart)
    {
        foreach (var error in zones.Errors)
            if (atStart) log.LogError("Zone not loaded: {Error}", error); // there is no previous version to keep
            else log.LogError("Zone not (re)loaded, previous version kept: {Error}", error);
        return zones;
    }

    /// <summary>
    /// An empty zone directory, and files in it that will never be zones: warnings for the log and /healthz. A server
    /// with <paramref name="secondaries"/> serves zones it transfers, so an empty directory is its normal state.
    /// </summary>
    public static IReadOnlyList<string> Mistakes(ZoneDirectory directory, ZoneSet zones, int secondaries)
    {
        var warnings = new List<string>();
        if (zones.Zones.Count == 0 && zones.Errors.Count == 0 && secondaries == 0)
            warnings.Add($"zone directory {Path.GetFullPath(directory.Path)} holds no zone file: every query is answered REFUSED (name each file after its zone's origin: example.com.zone)");
        foreach (var file in directory.OtherFiles())
            warnings.Add($"{file} is not served: only files named ORIGIN{ZoneDirectory.Extension} are zones (rename it, e.g. {Suggest(Path.GetFileName(file))}, or $INCLUDE it from one)");
        return warnings;
    }

    /// <summary>BIND's habits, <c>db.example.com</c> and <c>example.com.db</c>, turned into the name we read.</summary>
    private static string Suggest(string name)
    {
        if (name.StartsWith("db.", StringComparison.OrdinalIgnoreCase)) name = name[3..];
        foreach (var suffix in new[] { ".db", ".zone.txt", ".txt", ".hosts" })
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length];
        return name.Contains('.') ? name + ZoneDirectory.Extension : "example.com" + ZoneDirectory.Extension;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Zone {Origin} serial {Serial}: {Records} records from {File}")]
    private static partial void ZoneLoaded(ILogger log, string origin, uint serial, int records, string file);
}
