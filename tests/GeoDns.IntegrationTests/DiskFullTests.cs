using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A data directory on a full disk (a 256 KB tmpfs, filled): a signed UPDATE over UDP, as certbot's renewal sends,
/// is answered SERVFAIL with nothing written, /healthz says so once, and every UDP socket goes on answering.
/// </summary>
public sealed class DiskFullTests
{
    private const string AcmeName = "_acme-challenge.www.example.com";

    private static Task<ExternalTool.Result?> NsUpdate(ExchangeServer x, string token) =>
        ExternalTool.RunAsync("nsupdate", ["-t", "3", "-k", x.AcmeKey],
            $"server 127.0.0.1 {x.Port}\nzone example.com\nupdate add {AcmeName}. 60 TXT \"{token}\"\nsend\n");

    /// <summary>What UPDATE writes (the journal and the dynamic records), each file with its content.</summary>
    private static Dictionary<string, string> Files(string data) =>
        new[] { "journal", "dynamic" }.Select(d => Path.Combine(data, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .ToDictionary(f => Path.GetRelativePath(data, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    private static async Task<string[]> HealthWarnings(ExchangeServer x)
    {
        using var response = await x.Server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
    }

    [SkippableFact]
    public async Task DiskFull_SignedUpdatesOverUdp_ServFailNothingWritten_EveryUdpSocketAnswers_HealthzSaysSoOnce()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        string data = "";
        // RRL off: 400 queries from one /24 in a few seconds would pass its 200 a second.
        await using var x = await ExchangeServer.StartAsync(""", "rrl": { "enabled": false }""", udpSockets: 4, prepare: directory =>
        {
            data = Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
            var tmpfs = Tmpfs.TryMount(data, "256k", out var why);
            Skip.If(tmpfs is null, why);
            return tmpfs;
        });
        var serial = x.ServedSerial;
        var before = Files(data);
        Tmpfs.Fill(Path.Combine(data, "filler"));

        // 12 UPDATEs, each from its own source port: before, each ended the receive loop of the socket it reached.
        for (var i = 0; i < 12; i++)
        {
            var update = await NsUpdate(x, $"token-{i}");
            Assert.True(update!.ExitCode != 0 && update.All.Contains("SERVFAIL", StringComparison.Ordinal), $"UPDATE {i}: {update.All}");
        }

        // 400 queries from 400 source ports: SO_REUSEPORT spreads them over the 4 sockets, and every one is answered.
        var answered = 0;
        for (var i = 0; i < 400; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
            socket.SendTo(TestQuery.Build("www.example.com", DnsType.A, id: (ushort)i), x.Server.Endpoint);
            var buffer = new byte[512];
            try
            {
                if (ReplyText.Parse(buffer[..socket.Receive(buffer)]).Answer() is ["www.example.com. 300 IN A 127.0.0.10"]) answered++;
            }
            catch (SocketException) { }
        }
        Assert.Equal(400, answered);

        // Nothing half-written: the data directory as it was (no .tmp left), the zone served as it was.
        Assert.Equal(before, Files(data));
        Assert.Equal(serial, x.ServedSerial);
        Assert.Empty(x.Server.Ask(AcmeName, DnsType.TXT).AnswerRecords.OfType<TxtRecord>());
        var warning = Assert.Single(await HealthWarnings(x), w => w.StartsWith("dynamic update:", StringComparison.Ordinal));
        Assert.Contains("SERVFAIL", warning, StringComparison.Ordinal);
        Assert.Contains(data, warning, StringComparison.Ordinal);

        // Room again: the next UPDATE is stored and served, and the warning goes.
        File.Delete(Path.Combine(data, "filler"));
        var stored = await NsUpdate(x, "token-after");
        Assert.True(stored!.ExitCode == 0, stored.All);
        Assert.Equal(["token-after"], x.Server.Ask(AcmeName, DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData));
        Assert.DoesNotContain(await HealthWarnings(x), w => w.StartsWith("dynamic update:", StringComparison.Ordinal));

        // The operator's delete through the admin endpoint on a full disk: 503, nothing changed; with room, deleted.
        // (A record at another name stays, so the delete must write the dynamic records, not just remove their file.)
        var other = await ExternalTool.RunAsync("nsupdate", ["-t", "3", "-k", x.AcmeKey],
            $"server 127.0.0.1 {x.Port}\nzone example.com\nupdate add _acme-challenge.example.com. 60 TXT \"other\"\nsend\n");
        Assert.True(other!.ExitCode == 0, other.All);
        Tmpfs.Fill(Path.Combine(data, "filler"));
        var path = $"/v1/zones/example.com/dynamic?name={AcmeName}&type=TXT";
        using (var refused = await x.Server.Http.DeleteAsync(path))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("nothing changed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(["token-after"], x.Server.Ask(AcmeName, DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData));
        File.Delete(Path.Combine(data, "filler"));
        using (var deleted = await x.Server.Http.DeleteAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Contains("\"deleted\":1", (await deleted.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Empty(x.Server.Ask(AcmeName, DnsType.TXT).AnswerRecords.OfType<TxtRecord>());
    }
}
