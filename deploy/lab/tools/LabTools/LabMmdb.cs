using GeoDns.Testing;

namespace GeoDns.Lab;

/// <summary>The lab's geo database: each lab network in one country (written aside, then renamed).</summary>
public static class LabMmdb
{
    public static int Write(string output, string[] networks)
    {
        var writer = new MmdbWriter("GeoIP2-Country");
        foreach (var entry in networks)
        {
            var (network, place) = (entry.Split('=')[0], entry.Split('=')[1].Split('/'));
            writer.Insert(network, MmdbRecords.Country(place[0], place[1]));
        }
        File.WriteAllBytes(output + ".tmp", writer.Build());
        File.Move(output + ".tmp", output, overwrite: true);
        return 0;
    }
}
