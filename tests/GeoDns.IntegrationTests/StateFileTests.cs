using System.Net;
using System.Security.Cryptography;
using GeoDns.Persistence;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The state file (drains, forced states, added edges) never takes DNS down: whatever happened to it,
/// the server starts and answers from its zones and config, the damaged file is moved aside untouched,
/// and the loss is named on /healthz and /metrics.
/// </summary>
public sealed class StateFileTests
{
    public enum Damage { TruncatedUnaligned, GarbledMiddle, Empty, Missing, LogDeleted }

    /// <summary>A data directory whose store holds one drain, then damaged as asked.</summary>
    private static async Task<string> DamagedDirectory(LoopbackEdges edges, Damage damage)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("geodns-state-").FullName;
        await using (var first = await TestServer.StartAsync(config: edges.Config(), directory: directory))
        {
            first.KeepDirectory();
            Assert.True((await first.Service.Operations!.SetDrainedAsync("edge-1", true, "kept")).Succeeded);
        }
        var file = Path.Combine(directory, "data", HealthStore.FileName);
        switch (damage)
        {
            case Damage.TruncatedUnaligned:
                await using (var stream = File.OpenWrite(file)) stream.SetLength(stream.Length - 1000);
                break;
            case Damage.GarbledMiddle:
                await using (var stream = File.OpenWrite(file))
                {
                    stream.Position = 100;
                    var garbage = new byte[8192 * 2];
                    new Random(7).NextBytes(garbage); // the same damage every run: a random one may land where LiteDB never looks
                    stream.Write(garbage);
                }
                break;
            case Damage.Empty:
                await File.WriteAllBytesAsync(file, []);
                break;
            case Damage.Missing:
                File.Delete(file);
                break;
            case Damage.LogDeleted:
                File.Delete(StoreRecovery.LogPath(file));
                break;
        }
        return directory;
    }

    [Theory]
    [InlineData(Damage.TruncatedUnaligned)]
    [InlineData(Damage.GarbledMiddle)]
    [InlineData(Damage.Empty)]
    [InlineData(Damage.Missing)]
    public async Task DamagedStore_DnsServed_FileMovedAsideUntouched_LossNamed(Damage damage)
    {
        using var edges = new LoopbackEdges(2);
        var directory = await DamagedDirectory(edges, damage);
        var file = Path.Combine(directory, "data", HealthStore.FileName);
        var before = File.Exists(file) && new FileInfo(file).Length > 0 ? SHA256.HashData(File.ReadAllBytes(file)) : null;

        await using var server = await TestServer.StartAsync(config: edges.Config(), directory: directory);

        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], server.Ask("www.example.com", 1).Answer());
        Assert.Equal(2, server.Ask("app.example.com", 1).AnswerRecords.Count); // the drain is lost: both edges answered
        var health = await server.Http.GetStringAsync("/healthz");
        Assert.Contains("state file:", health);
        Assert.Contains("geodns_state_file_lost 1", await server.Http.GetStringAsync("/metrics"));
        if (before is not null)
        {
            var aside = Directory.GetFiles(Path.Combine(directory, "data"), HealthStore.FileName + ".damaged-*").Single(f => !f.EndsWith("-log"));
            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(aside)));
        }
        // The fresh store works: a drain now is kept.
        Assert.True((await server.Service.Operations!.SetDrainedAsync("edge-2", true)).Succeeded);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task LogFileDeleted_AcknowledgedDrainKept()
    {
        using var edges = new LoopbackEdges(2);
        var directory = await DamagedDirectory(edges, Damage.LogDeleted);

        await using var server = await TestServer.StartAsync(config: edges.Config(), directory: directory);

        Assert.Equal([edges.Address(1)], server.Ask("app.example.com", 1).AnswerRecords.Select(r => ((ARSoft.Tools.Net.Dns.ARecord)r).Address.ToString()));
        using var response = await server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("state file:", await response.Content.ReadAsStringAsync());
        Directory.Delete(directory, recursive: true);
    }
}
