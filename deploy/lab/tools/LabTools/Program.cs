// LabTools mmdb OUT NETWORK=CC/CONTINENT...   a GeoIP2-Country-shaped database placing each network in a country
// LabTools client NAME RATE SECONDS CA OUT     a client loop (see ClientLoop)
// LabTools flood ADDRESS RATE SECONDS          UDP at ADDRESS:443 (see Flood)
using GeoDns.Lab;

return args switch
{
    ["mmdb", var output, .. var networks] when networks.Length > 0 => LabMmdb.Write(output, networks),
    ["client", var name, var rate, var seconds, var ca, var output] => await ClientLoop.RunAsync(name, int.Parse(rate), int.Parse(seconds), ca, output),
    ["flood", var address, var rate, var seconds] => Flood.Run(address, int.Parse(rate), int.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: LabTools mmdb OUT.mmdb 192.0.2.0/24=DE/EU ... | LabTools client NAME RATE SECONDS CA.pem OUT");
    return 2;
}
