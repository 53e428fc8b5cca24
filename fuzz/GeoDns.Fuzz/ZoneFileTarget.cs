using System.Text;
using GeoDns.Answering;
using GeoDns.Zones;

namespace GeoDns.Fuzz;

/// <summary>
/// The zone-file reader (<see cref="ZoneFileParser.Parse"/>): any text is a zone or a list of errors, never an
/// exception; a zone that loads also builds its answer table, as a reload would next.
/// </summary>
public static class ZoneFileTarget
{
    /// <summary>Empty when the zone loads, else its first error.</summary>
    public static string Run(byte[] input)
    {
        // No base directory: $INCLUDE is an error here, so an input cannot make the harness read files.
        var result = ZoneFileParser.Parse(Encoding.UTF8.GetString(input), FuzzZones.Origin, "fuzz.zone");
        if (result.Ok == result.Errors.Count > 0)
            throw new InvalidOperationException($"a zone and {result.Errors.Count} error(s): the result must be one or the other");
        if (result.Zone is not { } zone) return result.Errors[0].ToString();
        AnswerTableBuilder.Build(new ZoneSet([zone], []));
        return "";
    }
}
