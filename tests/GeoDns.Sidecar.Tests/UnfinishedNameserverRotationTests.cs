using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Fleet;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// While a nameserver rotation is unfinished, bootstrap and upgrade refuse: they would install nameservers from a state
/// half way between two VPS. The rotation is finished first, with the command that resumes it.
/// </summary>
public sealed class UnfinishedNameserverRotationTests
{
    [Fact]
    public async Task BootstrapAndUpgrade_UnfinishedNameserverRotation_RefuseAndNameIt()
    {
        using var sidecar = FakeSidecar.Create();
        new NameserverRotationJournal(sidecar.Session.State, sidecar.Time).Begin("ns1", new EdgeHost { Name = "ns1", Ipv4 = "192.0.2.53" }, "ns1-r1");
        var (bootstrap, upgrade) = (new StringWriter(), new StringWriter());

        var bootstrapped = await BootstrapCommand.RunAsync(sidecar.Session, bootstrap, CancellationToken.None);
        var upgraded = await UpgradeCommand.RunAsync(sidecar.Session, "geodns_1.0_amd64.deb", edges: false, upgrade, upgrade, json: false, CancellationToken.None);

        Assert.Equal((1, 1), (bootstrapped, upgraded));
        Assert.Contains("bootstrap waits for the unfinished rotation of ns1 (#1 ns1: ns1 192.0.2.53 -> ns1-r1", bootstrap.ToString());
        Assert.Contains("finish it first with `geodns-sidecar rotate ns1`", bootstrap.ToString());
        Assert.Contains("upgrade failed: upgrade waits for the unfinished rotation of ns1", upgrade.ToString());
        Assert.Empty(sidecar.Log("created"));
    }
}
