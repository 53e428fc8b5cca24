using GeoDns.Server;

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
    public void ConfigFile_UnknownKey_ErrorNamesFileLineAndKey()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "{\n  \"zones\": \"z\",\n  \"lisen\": []\n}");

        Assert.Null(CommandLine.Parse(["--config", file], out var error));
        Assert.Contains($"{file}:3", error);
        Assert.Contains("lisen", error);
    }
}
