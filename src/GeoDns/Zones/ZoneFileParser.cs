using GeoDns.Protocol;

namespace GeoDns.Zones;

/// <summary>
/// Loads a zone from an RFC 1035 §5 master file: reads every record (and <c>$INCLUDE</c>d file), validates
/// the zone, and returns either the zone or every error found, each with its file and line.
/// </summary>
public static class ZoneFileParser
{
    public static ZoneLoadResult Load(string path, DnsName origin, TimeProvider? time = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ZoneLoadResult(null, [new ZoneError(path, 0, $"cannot read the zone file: {GeoDns.Files.FileProblem.Why(path, e)}")]);
        }
        return Parse(text, origin, path, Path.GetDirectoryName(path), time);
    }

    /// <param name="fileName">Names the text in errors and record sources.</param>
    /// <param name="baseDirectory">Where relative <c>$INCLUDE</c> paths are looked up; without it, <c>$INCLUDE</c> is an error.</param>
    public static ZoneLoadResult Parse(string text, DnsName origin, string fileName, string? baseDirectory = null, TimeProvider? time = null)
    {
        var reader = new MasterFileReader();
        reader.Read(text, fileName, baseDirectory, origin.Wire, depth: 0);
        var (records, errors) = ZoneValidator.Validate(origin, reader.Records, fileName, complete: reader.Errors.Count == 0);
        if (reader.Errors.Count > 0 || errors.Count > 0) return new ZoneLoadResult(null, [.. reader.Errors, .. errors]) { Includes = reader.Included };
        return new ZoneLoadResult(new Zone(origin, records, fileName, (time ?? TimeProvider.System).GetUtcNow()), []) { Includes = reader.Included };
    }
}
