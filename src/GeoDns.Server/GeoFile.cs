using GeoDns.Geo;

namespace GeoDns.Server;

/// <summary>The geo database file the options name, opened for the publisher.</summary>
internal static class GeoFile
{
    /// <summary>Null, logged, when it is missing or broken: geo is off and answering goes on.</summary>
    public static GeoDatabase? Open(ServerOptions options, ILogger log)
    {
        var path = options.GeoDatabasePath;
        var geo = GeoDatabase.TryOpen(path, out var error);
        // The previous database is not disposed: a query may still be reading it. It holds no file
        // handle (it is read into memory), so the collector reclaims it once no query refers to it.
        if (geo is null)
        {
            // No file is a normal way to run when nobody asked for geo; a file named but missing, or unreadable, is a mistake to flag.
            var level = File.Exists(path) || options.GeoDatabase is not null ? LogLevel.Warning : LogLevel.Information;
            log.Log(level, "Geo off, pool answers rotate through every healthy edge: {Error} (deploy/fetch-geodb.sh fetches a free database)", error);
        }
        return geo;
    }
}
