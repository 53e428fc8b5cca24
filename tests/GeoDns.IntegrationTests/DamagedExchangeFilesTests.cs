using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary started on a data directory whose journal and secondary copy are damaged: both are moved aside
/// (NAME.damaged-yyyyMMdd-HHmmss, as the state file is) with a log line, and the zone is served all the same.
/// </summary>
public sealed class DamagedExchangeFilesTests
{
    [Fact]
    public async Task CorruptJournalAndSecondaryCopy_MovedAsideWithALogLine_ZoneStillServed()
    {
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        // The secondary's primary is a port nothing listens on: its copy is only ever the damaged one on disk.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var primary = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        directory.Write("geodns.json", $$"""
            { "exchange": { "transfers": [ { "zone": "example.com", "allowFrom": [ "127.0.0.1" ] } ],
                            "secondaries": [ { "zone": "example.org", "primaries": [ "127.0.0.1:{{primary}}" ] } ] } }
            """);
        var journal = directory.Write("data/journal/example.com.json", """{ "Serial": 7, "Soa": { "Owner": "not hex""");
        var copy = directory.Write($"data/secondary/{Convert.ToHexString(GeoDns.Protocol.DnsName.Parse("example.org").Wire)}.json", "\0\0garbage");

        await using var server = await ServerProcess.StartAsync(directory.Path);

        Assert.Equal(0, (server.Ask("www.example.com") ?? [0, 0, 0, 0xF])[3] & 0xF); // answered, NOERROR
        var journalAside = Assert.Single(Directory.GetFiles(directory["data/journal"], "example.com.json.damaged-*"));
        Assert.Matches(@"\.damaged-\d{8}-\d{6}$", journalAside);
        Assert.Contains("Soa", File.ReadAllText(journalAside)); // the bytes kept, for whoever looks
        Assert.Contains($"Journal of example.com.: {journal} could not be read", server.Log);
        Assert.Contains($"moved aside to {journalAside}", server.Log);
        await Eventually.True(() => File.Exists(journal), "a fresh journal is written"); // the serial goes on from here
        var copyAside = Assert.Single(Directory.GetFiles(directory["data/secondary"], "*.json.damaged-*"));
        Assert.False(File.Exists(copy));
        Assert.Contains($"Secondary example.org.: stored copy {copy} could not be read", server.Log);
        Assert.Contains($"moved aside to {copyAside}", server.Log);

        using var http = server.NewHttpClient();
        using var zones = JsonDocument.Parse(await http.GetStringAsync("/v1/zones"));
        var secondary = zones.RootElement.GetProperty("secondaries")[0];
        Assert.Equal("example.org.", secondary.GetProperty("zone").GetString());
        Assert.Contains("moved aside to", secondary.GetProperty("loadDamage").GetString());
    }

}
