using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>The sidecar configs the lab writes are accepted by the loader and have no problems (the local example: <see cref="SidecarOptionsTests"/>).</summary>
public sealed class ExampleConfigTests
{
    [Fact]
    public void LabSidecarConfig_IsAcceptedByTheLoader()
    {
        // The pool must lie in the fleet's zone, and the package be a .deb: their real values, the rest "1".
        var written = Assert.Single(RepositoryConfig.HereDocuments("deploy/lab/up.sh", "sidecar.json",
            new Dictionary<string, string> { ["$POOL"] = "app.edge.example.com", ["$PACKAGE"] = "/tmp/geodns_0.9.0_amd64.deb" }));
        using var scratch = new TempDirectory();

        var options = SidecarOptions.Load(scratch.Write("sidecar.json", written), out var error);

        Assert.True(options is not null, error);
        Assert.Empty(options.Problems());
    }
}
