using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>The server configs the repository ships are accepted by the loader and pass its checks (the lab's are the sidecar's fleet files: FleetBundleTests runs servers from them).</summary>
public sealed class ExampleConfigTests
{
    [Theory]
    [InlineData("deploy/geodns.example.json")]
    [InlineData("deploy/hooks/local/geodns-ns1.json")]
    [InlineData("deploy/hooks/local/geodns-ns2.json")]
    public void ExampleConfig_IsAcceptedByTheLoader(string file) =>
        AssertAccepted(ConfigFile.Load(RepositoryConfig.File(file), out var error), error);

    private static void AssertAccepted(ServerOptions? options, string error)
    {
        Assert.True(options is not null, error);
        Assert.Empty(options.Rrl.Validate().Concat(options.Cookies.Validate()).Concat(options.Transport.Validate()));
    }
}
