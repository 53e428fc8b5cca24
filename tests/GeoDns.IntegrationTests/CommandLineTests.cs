using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

public sealed class CommandLineTests
{
    [Fact]
    public void NoArguments_ServesZonesOnLoopback5353()
    {
        var options = CommandLine.Parse([], out _)!;

        Assert.Equal("zones", options.Zones);
        Assert.Equal("127.0.0.1:5353", options.Endpoints().Single().ToString());
    }

    [Fact]
    public void ListenRepeated_IPv4AndIPv6()
    {
        var options = CommandLine.Parse(["--listen", "0.0.0.0:53", "--listen", "[::]:53", "--zones", "/srv/zones"], out _)!;

        Assert.Equal(["0.0.0.0:53", "[::]:53"], options.Endpoints().Select(e => e.ToString()));
        Assert.Equal("/srv/zones", options.Zones);
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1", "not ADDR:PORT")]
    [InlineData("--listen", "localhost:53", "not ADDR:PORT")]
    [InlineData("--frobnicate", "1", "unknown option '--frobnicate'")]
    public void BadArgument_ClearError(string option, string value, string expected)
    {
        Assert.Null(CommandLine.Parse([option, value], out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Help_NoOptionsNoError()
    {
        Assert.Null(CommandLine.Parse(["--help"], out var error));
        Assert.Equal("", error);
        Assert.Contains("--listen ADDR:PORT", CommandLine.Usage);
    }

    [Fact]
    public void ConfigFile_ReadThenOverriddenByCommandLine()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """
            {
              // comments are fine
              "zones": "from-config",
              "listen": ["127.0.0.1:5300"],
              "transport": { "udpSockets": 1 }
            }
            """);

        var options = CommandLine.Parse(["--config", file, "--zones", "from-cli"], out _)!;

        Assert.Equal("from-cli", options.Zones);
        Assert.Equal("127.0.0.1:5300", options.Endpoints().Single().ToString());
        Assert.Equal(1, options.Transport.UdpSockets);
    }

    [Fact]
    public void Admin_DefaultLoopback8053_OffOrElsewhere()
    {
        Assert.Equal("127.0.0.1:8053", CommandLine.Parse([], out _)!.Admin);
        Assert.Equal("off", CommandLine.Parse(["--admin", "off"], out _)!.Admin);
        Assert.Equal("[::1]:9053", CommandLine.Parse(["--admin", "[::1]:9053"], out _)!.Admin);
        Assert.Contains("--admin ADDR:PORT", CommandLine.Usage);
        Assert.Contains("--admin-token-file FILE", CommandLine.Usage);
    }

    [Fact]
    public void Admin_NotAnAddress_ClearError()
    {
        Assert.Null(CommandLine.Parse(["--admin", "localhost"], out var error));
        Assert.Contains("admin address 'localhost' is not ADDR:PORT", error);
    }

    [Fact]
    public void Admin_BeyondLoopbackWithTokenFile_Accepted()
    {
        var token = Path.GetTempFileName();
        File.WriteAllText(token, "secret\n");

        var options = CommandLine.Parse(["--admin", "0.0.0.0:8053", "--admin-token-file", token], out var error);

        Assert.True(options is not null, error);
        Assert.Equal(token, options.AdminTokenFile);
        File.Delete(token);
    }

    [Fact]
    public void ConfigFile_AdminKeys()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{ "admin": "", "adminToken": "t0ken" }""");

        var options = CommandLine.Parse(["--config", file], out _)!;

        Assert.Equal(("", "t0ken"), (options.Admin, options.AdminToken));
    }

    [Fact]
    public void ConfigFile_UnknownKey_ErrorNamesFileLineAndKey()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "{\n  \"zones\": \"z\",\n  \"lisen\": []\n}");

        Assert.Null(CommandLine.Parse(["--config", file], out var error));
        Assert.Equal($"{file}:3: lisen: unknown key", error);
    }

    [Theory]
    [InlineData("{\n  \"pools\": [ { \"name\": \"app.example.com\", \"alDown\": \"none\" } ]\n}", "2: pools[0].alDown: unknown key")]
    [InlineData("{\n  \"reloadDebounce\": true\n}", "2: reloadDebounce: not a duration (write e.g. 5s, 1500ms, 3h)")]
    [InlineData("{\n  \"listen\": \"127.0.0.1:53\"\n}", "2: listen: not a list")]
    [InlineData("{\n  \"rrl\": { \"responsesPerSecond\": \"many\" }\n}", "2: rrl.responsesPerSecond: not a number (or out of range)")]
    // The exchange's keys live in its section only; flat at the top level they are unknown.
    [InlineData("{\n  \"keyFiles\": [ \"xfr.key\" ]\n}", "2: keyFiles: unknown key")]
    [InlineData("{\n  \"zones\": \"z\",\n  \"notifyAttempts\": 3\n}", "3: notifyAttempts: unknown key")]
    [InlineData("{\n  \"exchange\": { \"notifyAtempts\": 3 }\n}", "2: exchange.notifyAtempts: unknown key")]
    public void ConfigFile_WrongShape_ErrorNamesTheKeyWithoutDotNetTypes(string json, string expected)
    {
        using var directory = new TempDirectory();
        directory.Write("geodns.json", json);
        var file = directory["geodns.json"];

        Assert.Null(CommandLine.Parse(["--config", file], out var error));
        Assert.Equal($"{file}:{expected}", error);
    }

    [Theory]
    [InlineData("\"workers\": 0", "exchange.workers: 0 is not between 1 and 16")]
    [InlineData("\"workers\": 17", "exchange.workers: 17 is not between 1 and 16")]
    [InlineData("\"queue\": 15", "exchange.queue: 15 is not between 16 and 65536")]
    [InlineData("\"queue\": 65537", "exchange.queue: 65537 is not between 16 and 65536")]
    public void ConfigFile_ExchangeQueueOutOfRange_ErrorNamesFileAndKey(string key, string expected)
    {
        using var directory = new TempDirectory();
        var file = directory.Write("geodns.json", $"{{ \"exchange\": {{ {key} }} }}");

        Assert.Null(CommandLine.Parse(["--config", file], out var error));
        Assert.Equal($"{file}: {expected}", error);
    }

    [Fact]
    public void ConfigFile_ExchangeSection_EveryKeyRead_KeyFilesRelativeToTheConfig()
    {
        using var directory = new TempDirectory();
        directory.Write("etc/geodns.json", """
            { "exchange": { "keyFiles": [ "xfr.key", "/keys/acme.key" ],
                            "transfers": [ { "zone": "example.com", "keys": [ "xfr" ], "notify": [ "127.0.0.1:5300" ] } ],
                            "updates": [ { "key": "acme" } ],
                            "secondaries": [ { "zone": "example.org", "primaries": [ "127.0.0.1:5301" ] } ],
                            "notifyInterval": "2s", "notifyAttempts": 3, "workers": 4, "queue": 1024 } }
            """);

        var options = CommandLine.Parse(["--config", directory["etc/geodns.json"]], out var error)!;

        Assert.Equal("", error);
        var exchange = options.ResolvedExchange();
        Assert.Equal([directory["etc/xfr.key"], "/keys/acme.key"], exchange.KeyFiles);
        Assert.Equal(("example.com", "127.0.0.1:5300"), (Assert.Single(exchange.Transfers).Zone, Assert.Single(exchange.Transfers[0].Notify)));
        Assert.Equal("acme", Assert.Single(exchange.Updates).Key);
        Assert.Equal("example.org", Assert.Single(exchange.Secondaries).Zone);
        Assert.Equal((TimeSpan.FromSeconds(2), 3), (exchange.NotifyInterval, exchange.NotifyAttempts));
        Assert.Equal((4, 1024), (exchange.Workers, exchange.Queue));
    }

    [Fact]
    public void RestartNeeded_NamesTheExchange_OnlyWhenItIsTurnedOnOrOff()
    {
        var off = new ServerOptions();
        var on = new ServerOptions { Exchange = new() { KeyFiles = ["xfr.key"] } };
        var changed = new ServerOptions { Exchange = new() { KeyFiles = ["other.key"], NotifyAttempts = 2 } };

        Assert.Equal(["exchange"], ServerOptions.RestartNeeded(off, on));
        Assert.Equal(["exchange"], ServerOptions.RestartNeeded(on, off));
        Assert.Empty(ServerOptions.RestartNeeded(on, changed)); // a reload applies keys, rules and NOTIFY settings
        // The queue and its threads are made once, at start.
        Assert.Equal(["exchange.workers", "exchange.queue"], ServerOptions.RestartNeeded(on, new ServerOptions { Exchange = new() { KeyFiles = ["xfr.key"], Workers = 1, Queue = 16 } }));
    }
}
