using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class ReloadTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string ZoneFile => Path.Combine(_server.ZoneDirectory, "example.com.zone");

    [Fact]
    public async Task ZoneFileEdited_NewAnswerWithoutRestart_BrokenEditKeepsOldAnswer()
    {
        await File.WriteAllTextAsync(ZoneFile, TestServer.ExampleZone.Replace("127.0.0.10", "127.0.0.11"));
        await WaitForAnswer("www.example.com. 300 IN A 127.0.0.11");

        await File.WriteAllTextAsync(ZoneFile, TestServer.ExampleZone.Replace("www  IN A   127.0.0.10", "www  IN A   127.0.0.999"));
        var errors = await WaitFor(() => _server.Service.Observations.Snapshot.Zones.Errors);
        Assert.Contains(errors, e => e.File.EndsWith("example.com.zone") && e.Line == 6);
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.11"], _server.Ask("www.example.com", 1).Answer());

        await File.WriteAllTextAsync(ZoneFile, TestServer.ExampleZone.Replace("127.0.0.10", "127.0.0.12"));
        await WaitForAnswer("www.example.com. 300 IN A 127.0.0.12");
        Assert.Empty(_server.Service.Observations.Snapshot.Zones.Errors);
    }

    [Fact]
    public async Task NewZoneFile_Served_DeletedZoneFile_Refused()
    {
        await File.WriteAllTextAsync(Path.Combine(_server.ZoneDirectory, "example.net.zone"), TestServer.ExampleZone.Replace("$ORIGIN example.com.", "$ORIGIN example.net."));
        await WaitFor(() => _server.Ask("www.example.net", 1).Answer());

        File.Delete(Path.Combine(_server.ZoneDirectory, "example.net.zone"));
        await WaitFor<string>(() => _server.Ask("www.example.net", 1).ReturnCode == ARSoft.Tools.Net.Dns.ReturnCode.Refused ? ["refused"] : []);
    }

    [Fact]
    public async Task WritesBelowZonesThatAreNotZones_NoReload()
    {
        // A data directory kept inside the zone directory, an editor's swap file, notes: none is a zone.
        var data = Directory.CreateDirectory(Path.Combine(_server.ZoneDirectory, "data")).FullName;
        for (var i = 0; i < 20; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(data, "geodns.db"), $"write {i}");
            await File.WriteAllTextAsync(Path.Combine(_server.ZoneDirectory, ".example.com.zone.swp"), $"swap {i}");
            await File.WriteAllTextAsync(Path.Combine(_server.ZoneDirectory, "notes.txt"), $"note {i}");
        }
        await Task.Delay(600); // several debounce periods (100 ms here): a reload would have happened by now

        Assert.Equal(0, _server.Service.Observations.ReloadMetrics.Reloads("zones", "ok") + _server.Service.Observations.ReloadMetrics.Reloads("zones", "error"));
    }

    [Fact]
    public async Task IncludedFileEdited_Reloads()
    {
        await File.WriteAllTextAsync(Path.Combine(_server.ZoneDirectory, "hosts.inc"), "www IN A 127.0.0.21\n");
        await File.WriteAllTextAsync(ZoneFile, TestServer.ExampleZone.Replace("www  IN A   127.0.0.10", "$INCLUDE hosts.inc"));
        await WaitForAnswer("www.example.com. 300 IN A 127.0.0.21");

        await File.WriteAllTextAsync(Path.Combine(_server.ZoneDirectory, "hosts.inc"), "www IN A 127.0.0.22\n");
        await WaitForAnswer("www.example.com. 300 IN A 127.0.0.22");
    }

    private Task WaitForAnswer(string line) => WaitFor(() => _server.Ask("www.example.com", 1).Answer().Where(a => a == line).ToArray());

    /// <summary>Polls until <paramref name="read"/> gives something non-empty; the file watcher debounces by 100 ms here.</summary>
    private static Task<IReadOnlyList<T>> WaitFor<T>(Func<IReadOnlyList<T>> read) => Eventually.Any(read, "the zone change is picked up");
}
