namespace GeoDns.Sidecar.Tests;

public sealed class SidecarOptionsTests
{
    private static SidecarOptions? Load(string json, out string error)
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["sidecar.json"], json);
        return SidecarOptions.Load(scratch["sidecar.json"], out error);
    }

    [Fact]
    public void LocalExample_LoadsWithoutProblems()
    {
        var options = SidecarOptions.Load(Repository.File("deploy/hooks/local/sidecar.json"), out var error);

        Assert.True(options is not null, error);
        Assert.Empty(options.Problems());
        Assert.True(options.AdminTokenValue().Ok || options.AdminTokenFile is not null);
    }

    [Fact]
    public void Durations_CommentsAndEnums_Read()
    {
        var options = Load("""
            {
              // the drain must outlast the pool's TTL
              "rotation": { "drainPeriod": "3h", "downFor": 90, "pollInterval": "500ms" },
              "nginx": { "mode": "passthrough" },
            }
            """, out var error);

        Assert.True(options is not null, error);
        Assert.Equal(TimeSpan.FromHours(3), options.Rotation.DrainPeriod);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Rotation.DownFor);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Rotation.PollInterval);
        Assert.Equal(Nginx.NginxMode.Passthrough, options.Nginx.Mode);
    }

    [Fact]
    public void UnknownKey_ErrorNamesFileLineAndKey()
    {
        Assert.Null(Load("{\n  \"pool\": \"app.example.com\",\n  \"drainPeriod\": \"3h\"\n}", out var error));
        Assert.EndsWith("sidecar.json:3: drainPeriod: unknown key", error);
    }

    [Theory]
    [InlineData("{\n  \"nginx\": { \"mode\": \"tsl\" }\n}", "sidecar.json:2: nginx.mode: not one of tls, passthrough")]
    [InlineData("{\n  \"rotation\": { \"downFor\": \"soon\" }\n}", "sidecar.json:2: rotation.downFor: 'soon' is not a duration (write e.g. 5s, 1500ms, 3h)")]
    public void WrongValue_ErrorNamesTheKeyAndWhatFits(string json, string expected)
    {
        Assert.Null(Load(json, out var error));
        Assert.EndsWith(expected, error);
    }

    [Fact]
    public void Problems_ShortDrain_ListenWithoutPort_BadEdge()
    {
        var options = new SidecarOptions
        {
            Listen = "localhost:8054",
            Rotation = { DrainPeriod = TimeSpan.FromSeconds(45) },
            Edges = [new EdgeHost { Name = "edge 1", Ipv4 = "192.0.2.1" }, new EdgeHost { Name = "edge-2", Ipv4 = "2001:db8::1" }],
        };

        Assert.Equal(
        [
            "rotation.drainPeriod 00:00:45 is shorter than rotation.poolTtl + rotation.drainMargin (00:01:00): resolvers would still hand out the destroyed edge",
            "listen: 'localhost:8054' is not ADDR:PORT",
            "edges: edge name 'edge 1' is not 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit",
            "edges: edge edge-2: ipv4 '2001:db8::1' is not an IPv4 address",
        ], options.Problems());
    }

    [Theory]
    [InlineData("{ \"port\": 443 }", "signals.port: 443 is not a port (1-65535) the edge's users do not already have (80, 443)")]
    [InlineData("{ \"interval\": \"1500ms\" }", "signals.interval: 00:00:01.5000000 must be whole seconds from 1 s to 1 min (the edge's script sleeps that long)")]
    [InlineData("{ \"interval\": \"30s\", \"history\": \"4m\" }", "signals.history 00:04:00 keeps fewer than 10 signals.interval (00:00:30): too few points to see a trend")]
    [InlineData("{ \"history\": \"2d\" }", "signals.history: 2.00:00:00 must be 1 min to 1 day")]
    public void Signals_Problems_NameTheKey(string signals, string expected)
    {
        var options = Load($"{{ \"signals\": {signals} }}", out var error);

        Assert.True(options is not null, error);
        Assert.Contains(expected, options.Problems());
    }

    [Fact]
    public void Tokens_FromFile_Trimmed_MissingSaysWhich()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["token"], "  s3cret\n");
        var options = new SidecarOptions { Nameservers = ["http://127.0.0.1:8053"], Pool = "app.example.com", AdminTokenFile = scratch["token"] };

        Assert.Equal("s3cret", options.AdminTokenValue().Value);
        Assert.Equal("token or tokenFile: neither is set", options.TokenValue().Error);
        Assert.Equal("nameservers: none listed", new SidecarOptions().AdminTokenValue().Error);
    }
}
