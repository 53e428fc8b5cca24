using System.Globalization;
using GeoDns.Configuration;

namespace GeoDns.Sidecar;

/// <summary>
/// Times in the sidecar's text output (status, log messages): ISO 8601 with the offset, as its log
/// lines are stamped and as both programs' JSON writes them, so a reader meets one format.
/// </summary>
public static class Timestamp
{
    public static string Text(DateTimeOffset time) => time.ToString(ProgramVersion.LogTimestamp.TrimEnd(), CultureInfo.InvariantCulture);
}
