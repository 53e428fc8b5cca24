namespace GeoDns.IntegrationTests;

/// <summary>A test server with TSIG keys (xfr: transfers; acme: ACME updates), transfers and the default update policy.</summary>
public sealed class ExchangeServer : IAsyncDisposable
{
    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1
        www  IN A   127.0.0.10

        """;

    private readonly TempTree _tree;
    private readonly IDisposable? _prepared;

    private ExchangeServer(TempTree tree, TestServer server, IDisposable? prepared) => (_tree, Server, _prepared) = (tree, server, prepared);

    public TestServer Server { get; private set; }
    public string AcmeKey => Path.Combine(_tree.Path, "acme.key");
    public string XfrKey => Path.Combine(_tree.Path, "xfr.key");
    public string Directory => _tree.Path;
    public string Port => Server.Endpoint.Port.ToString();

    /// <param name="extraConfig">Top-level keys after the exchange section, each with a leading comma.</param>
    /// <param name="extraExchange">Keys of the exchange section after its updates, each with a leading comma.</param>
    /// <param name="prepare">Called with the directory before the server starts (to mount its data directory, say); what it returns is disposed after the server stops.</param>
    /// <param name="listen">The DNS address, e.g. "0.0.0.0:0" for a wildcard.</param>
    /// <param name="updates">The exchange's update policies, as JSON.</param>
    public static async Task<ExchangeServer> StartAsync(string extraConfig = "", string extraExchange = "", int udpSockets = 2, Func<string, IDisposable?>? prepare = null,
        string listen = "127.0.0.1:0", string updates = """[{ "key": "acme" }]""")
    {
        var tree = new TempTree("geodns-exchange-");
        IDisposable? prepared = null;
        try
        {
            TsigKeyText.Write(Path.Combine(tree.Path, "xfr.key"), "xfr");
            TsigKeyText.Write(Path.Combine(tree.Path, "acme.key"), "acme", "hmac-sha512");
            prepared = prepare?.Invoke(tree.Path);
            return new ExchangeServer(tree, await TestServer.StartAsync(Zone, config: Config(extraConfig, extraExchange, updates), directory: tree.Path, listen: listen, udpSockets: udpSockets), prepared);
        }
        catch
        {
            prepared?.Dispose();
            tree.Dispose();
            throw;
        }
    }

    private static string Config(string extra, string exchange, string updates) => $$"""
        {
          "exchange": {
            "keyFiles": ["xfr.key", "acme.key"],
            "transfers": [{ "zone": "example.com", "allowFrom": ["127.0.0.1"], "keys": ["xfr"] }],
            "updates": {{updates}}{{exchange}}
          }{{extra}}
        }
        """;

    /// <summary>Stops the server and starts another on the same directory (zones, data, keys).</summary>
    public async Task RestartAsync()
    {
        await Server.KeepDirectory().DisposeAsync();
        Server = await TestServer.StartAsync(File.ReadAllText(Path.Combine(Server.ZoneDirectory, "example.com.zone")), config: File.ReadAllText(Server.ConfigFile), directory: _tree.Path);
    }

    /// <summary>The serial example.com is answered with now, as the admin shows it.</summary>
    public uint ServedSerial => Server.Service.Observations.ServedSerial(Server.Service.Observations.Snapshot, GeoDns.Protocol.DnsName.Parse("example.com"))!.Value;

    public async ValueTask DisposeAsync()
    {
        await Server.KeepDirectory().DisposeAsync();
        _prepared?.Dispose();
        _tree.Dispose();
    }
}
