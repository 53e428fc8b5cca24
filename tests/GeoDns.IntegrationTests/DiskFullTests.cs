using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary with its data directory on a full disk (a 256 KB tmpfs, filled): a signed UPDATE over UDP, as
/// certbot's renewal sends, is answered SERVFAIL with nothing written, the log and /healthz say so once, and each of
/// the 4 UDP sockets goes on answering.
/// </summary>
public sealed class DiskFullTests
{
    private const string AcmeName = "_acme-challenge.www.example.com";
    private const string Token = "disk-full-admin-token-0123456789";

    private static Task<ExternalTool.Result?> NsUpdate(string directory, IPEndPoint server, string name, string token) =>
        ExternalTool.RunAsync("nsupdate", ["-t", "3", "-k", Path.Combine(directory, "acme.key")],
            $"server 127.0.0.1 {server.Port}\nzone example.com\nupdate add {name}. 60 TXT \"{token}\"\nsend\n");

    /// <summary>What UPDATE writes (the journal and the dynamic records), each file with its content.</summary>
    private static Dictionary<string, string> Files(string data) =>
        new[] { "journal", "dynamic" }.Select(d => Path.Combine(data, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .ToDictionary(f => Path.GetRelativePath(data, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    private static DnsMessage Ask(IPEndPoint server, string name, ushort type)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        socket.SendTo(TestQuery.Build(name, type), server);
        var buffer = new byte[4096];
        return ReplyText.Parse(buffer[..socket.Receive(buffer)]);
    }

    private static uint ServedSerial(IPEndPoint server) => Ask(server, "example.com", DnsType.SOA).AnswerRecords.OfType<SoaRecord>().Single().SerialNumber;

    private static string[] Txt(IPEndPoint server) => [.. Ask(server, AcmeName, DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData)];

    private static async Task<string[]> HealthWarnings(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
    }

    /// <summary>Replies sent so far by each UDP socket, in socket order (<c>geodns_udp_replies_total</c>).</summary>
    private static async Task<double[]> RepliesPerSocket(HttpClient http) =>
        [.. PrometheusText.Parse(await http.GetStringAsync("/metrics")).Samples.Where(s => s.Name == "geodns_udp_replies_total")
            .OrderBy(s => int.Parse(s.Labels["socket"], System.Globalization.CultureInfo.InvariantCulture)).Select(s => s.Value)];

    private static int StorageFailedLines(ServerProcess server) =>
        server.Lines.Count(l => l.Contains("UPDATE of example.com. not stored, answered SERVFAIL", StringComparison.Ordinal));

    [SkippableFact]
    public async Task DiskFull_SignedUpdatesOverUdp_ServFailNothingWritten_EachUdpSocketAnswers_LogAndHealthzSaySoOnce()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        using var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", ExchangeServer.Zone);
        TsigKeyText.Write(directory["acme.key"], "acme", "hmac-sha512");
        // RRL off: 400 queries from one /24 in a few seconds would pass its 200 a second.
        directory.Write("geodns.json", """
            {
              "exchange": {
                "keyFiles": ["acme.key"],
                "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"] }],
                "updates": [{ "key": "acme" }]
              },
              "rrl": { "enabled": false },
              "transport": { "udpSockets": 4 }
            }
            """);
        var data = Directory.CreateDirectory(directory["data"]).FullName;
        using var tmpfs = Tmpfs.TryMount(data, "256k", out var why);
        Skip.If(tmpfs is null, why);
        await using var server = await ServerProcess.StartAsync(directory.Path, new Dictionary<string, string> { ["GEODNS_ADMIN_TOKEN"] = Token });
        using var http = server.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        var serial = ServedSerial(server.Endpoint);
        var before = Files(data);
        Tmpfs.Fill(Path.Combine(data, "filler"));

        // 12 UPDATEs, each from its own source port: before, each ended the receive loop of the socket it reached.
        for (var i = 0; i < 12; i++)
        {
            var update = await NsUpdate(directory.Path, server.Endpoint, AcmeName, $"token-{i}");
            Assert.True(update!.ExitCode != 0 && update.All.Contains("SERVFAIL", StringComparison.Ordinal), $"UPDATE {i}: {update.All}");
        }

        // 400 queries from 400 source ports: SO_REUSEPORT spreads them over the 4 sockets, and every one is answered,
        // by each of the sockets (a loop that had ended would leave its socket's count flat).
        var repliesBefore = await RepliesPerSocket(http);
        var answered = 0;
        for (var i = 0; i < 400; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
            socket.SendTo(TestQuery.Build("www.example.com", DnsType.A, id: (ushort)i), server.Endpoint);
            var buffer = new byte[512];
            try
            {
                if (ReplyText.Parse(buffer[..socket.Receive(buffer)]).Answer() is ["www.example.com. 300 IN A 127.0.0.10"]) answered++;
            }
            catch (SocketException) { }
        }
        Assert.Equal(400, answered);
        var repliesAfter = await RepliesPerSocket(http);
        Assert.Equal(4, repliesBefore.Length);
        Assert.Equal(4, repliesAfter.Length);
        var perSocket = repliesAfter.Zip(repliesBefore, (after, earlier) => after - earlier).ToArray();
        Assert.True(perSocket.All(n => n > 0), $"replies per socket: {string.Join(", ", perSocket)}");
        Assert.Equal(400, perSocket.Sum());

        // Nothing half-written: the data directory as it was (no .tmp left), the zone served as it was.
        Assert.Equal(before, Files(data));
        Assert.Equal(serial, ServedSerial(server.Endpoint));
        Assert.Empty(Txt(server.Endpoint));
        var warning = Assert.Single(await HealthWarnings(http), w => w.StartsWith("dynamic update:", StringComparison.Ordinal));
        Assert.Contains("SERVFAIL", warning, StringComparison.Ordinal);
        Assert.Contains(data, warning, StringComparison.Ordinal);
        // One log line for the 12 failures (the console logger writes behind: wait for it, then hold it to one).
        await Eventually.True(() => StorageFailedLines(server) > 0, "the storage failure is logged");
        await Task.Delay(500);
        Assert.True(StorageFailedLines(server) == 1, server.Log);

        // Room again: the next UPDATE is stored and served, and the warning goes.
        File.Delete(Path.Combine(data, "filler"));
        var stored = await NsUpdate(directory.Path, server.Endpoint, AcmeName, "token-after");
        Assert.True(stored!.ExitCode == 0, stored.All);
        Assert.Equal(["token-after"], Txt(server.Endpoint));
        Assert.DoesNotContain(await HealthWarnings(http), w => w.StartsWith("dynamic update:", StringComparison.Ordinal));

        // The operator's delete through the admin endpoint on a full disk: 503, nothing changed; with room, deleted.
        // (A record at another name stays, so the delete must write the dynamic records, not just remove their file.)
        var other = await NsUpdate(directory.Path, server.Endpoint, "_acme-challenge.example.com", "other");
        Assert.True(other!.ExitCode == 0, other.All);
        Tmpfs.Fill(Path.Combine(data, "filler"));
        var path = $"/v1/zones/example.com/dynamic?name={AcmeName}&type=TXT";
        using (var refused = await http.DeleteAsync(path))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("nothing changed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(["token-after"], Txt(server.Endpoint));
        File.Delete(Path.Combine(data, "filler"));
        using (var deleted = await http.DeleteAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Contains("\"deleted\":1", (await deleted.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Empty(Txt(server.Endpoint));
    }
}
