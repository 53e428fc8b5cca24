using GeoDns.Server;
using GeoDns.Server.Admin;

namespace GeoDns.IntegrationTests;

public sealed class AdminSettingsTests
{
    private static AdminSettings? Resolve(ServerOptions options, string? environmentToken, out string error) =>
        AdminSettings.Resolve(options, name => name == AdminSettings.TokenVariable ? environmentToken : null, out error);

    [Fact]
    public void Default_LoopbackNoToken()
    {
        var settings = Resolve(new ServerOptions(), null, out _)!;

        Assert.Equal(("127.0.0.1:8053", null), (settings.Endpoint!.ToString(), settings.Token));
    }

    [Theory]
    [InlineData("off")]
    [InlineData("")]
    public void Off_NoEndpoint(string admin) => Assert.Null(Resolve(new ServerOptions { Admin = admin }, null, out _)!.Endpoint);

    [Fact]
    public void BeyondLoopbackWithoutToken_RefusedWithClearError()
    {
        Assert.Null(Resolve(new ServerOptions { Admin = "0.0.0.0:8053" }, null, out var error));
        Assert.Contains("reachable beyond this machine but no token is set", error);
        Assert.Contains("GEODNS_ADMIN_TOKEN", error);
    }

    [Fact]
    public void TokenSources_EnvironmentOverFileOverConfig()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "  from-file\n");
        var options = new ServerOptions { Admin = "[::]:8053", AdminTokenFile = file };

        Assert.Equal("from-file", Resolve(options, null, out _)!.Token);
        Assert.Equal("from-env", Resolve(options, "from-env", out _)!.Token);
        Assert.Equal("from-config", Resolve(new ServerOptions { Admin = "0.0.0.0:1", AdminToken = "from-config" }, null, out _)!.Token);
        Assert.DoesNotContain("from-file", Resolve(options, null, out _)!.ToString());
        File.Delete(file);
    }

    [Theory]
    [InlineData("localhost:8053", null, null, "not ADDR:PORT")]
    [InlineData("127.0.0.1:8053", "t", "/nonexistent/token", "not both")]
    [InlineData("127.0.0.1:8053", null, "/nonexistent/token", "adminTokenFile /nonexistent/token: no such file")]
    [InlineData("127.0.0.1:8053", " ", null, "adminToken is empty")]
    public void BadSettings_ErrorSays(string admin, string? token, string? tokenFile, string expected)
    {
        Assert.Null(Resolve(new ServerOptions { Admin = admin, AdminToken = token, AdminTokenFile = tokenFile }, null, out var error));
        Assert.Contains(expected, error);
    }
}
