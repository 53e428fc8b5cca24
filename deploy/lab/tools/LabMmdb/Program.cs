// lab-mmdb OUT NETWORK=CC/CONTINENT...: a GeoIP2-Country-shaped database placing each network in a country.
using GeoDns.Testing;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: LabMmdb OUT.mmdb 192.0.2.0/24=DE/EU ...");
    return 2;
}
var writer = new MmdbWriter("GeoIP2-Country");
foreach (var entry in args[1..])
{
    var (network, place) = (entry.Split('=')[0], entry.Split('=')[1].Split('/'));
    writer.Insert(network, MmdbRecords.Country(place[0], place[1]));
}
var temporary = args[0] + ".tmp";
File.WriteAllBytes(temporary, writer.Build());
File.Move(temporary, args[0], overwrite: true);
return 0;
