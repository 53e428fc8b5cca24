using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The certificate around a rotation: an edge on its way out (the old edge of a running rotation,
/// a draining one) is never sent a certificate or key; once it is destroyed, the re-key hook runs
/// once and its new certificate reaches the live edges only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // shell hooks and file modes
public sealed class RotationCertificateTests
{
    [Fact]
    public async Task Push_SkipsTheOldEdgeOfARunningRotation_AndDrainingEdges()
    {
        using var sidecar = WithCertificate();
        var rotation = sidecar.Session.Engine.Prepare("edge-2", "test").Value!;

        // The new edge is Up; the old one still serves, but is on its way out.
        rotation = await sidecar.Drive(sidecar.Session.Engine.RunAsync(rotation, stopBefore: RotationStep.Drain));
        Assert.Equal(RotationStatus.Running, rotation.Status);
        Assert.Equal(EdgeRole.Serving, sidecar.Session.Inventory.Find("edge-2")!.Role);
        var pushed = await new CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);
        Assert.Equal(["edge-1", "edge-2-r1"], pushed.Select(p => p.Edge));
        Assert.Equal(["edge-1 one", "edge-2-r1 one"], Installed(sidecar));

        // Draining: out of the answers, still serving those who hold its address, and no new key.
        rotation = await sidecar.Drive(sidecar.Session.Engine.RunAsync(rotation, stopBefore: RotationStep.WaitDrain));
        Assert.Equal(EdgeRole.Draining, sidecar.Session.Inventory.Find("edge-2")!.Role);
        await File.WriteAllTextAsync(Path.Combine(sidecar.Options.Nginx.CertificateDir!, "fullchain.pem"), "renewed");
        var distribution = new CertificateDistribution(sidecar.Session);
        Assert.True(distribution.Changed());
        await distribution.PushAsync(CancellationToken.None);
        Assert.Equal(["edge-1 renewed", "edge-2-r1 renewed"], Installed(sidecar));
        Assert.False(distribution.Changed()); // every live edge has it: the daemon does not push again
    }

    [Fact]
    public async Task FailedRotation_OldEdgeServesOn_AndGetsRenewalsAgain()
    {
        using var sidecar = WithCertificate();
        sidecar.Ns2.StateOfNewEdges = "Down";
        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));
        Assert.False(rotated.Ok);

        await new CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);

        // Not being rotated out any more (until someone retries): it serves users, who need a valid certificate.
        Assert.Contains("edge-2 one", Installed(sidecar));
    }

    [Fact]
    public async Task Rotation_RekeysOnceAfterTheOldEdgeIsDestroyed_NewCertificateOnLiveEdgesOnly()
    {
        using var sidecar = WithCertificate(o => o.Hooks.Rekey = Rekey(o, "destroyed"));
        await new CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);
        Assert.Equal(["edge-1 one", "edge-2 one"], Installed(sidecar));

        var rotated = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.True(rotated.Ok, rotated.Error);
        Assert.Equal(RotationStatus.Completed, rotated.Value!.Status);
        // Once, for the rotated-out edge, after its VPS was destroyed.
        Assert.Equal(["edge-2 after destroy"], sidecar.Log("rekeyed"));
        var directory = sidecar.Options.Nginx.CertificateDir!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "privkey.pem")));
        // The new certificate went to the live edges; edge-2 got nothing since the first push.
        Assert.Equal(["edge-1 new-key", "edge-2-r1 new-key"], Installed(sidecar));
        Assert.Contains(rotated.Value.Events, e => e is { Step: RotationStep.Rekey, What: "done" });
        Assert.False(new CertificateDistribution(sidecar.Session).Changed());
    }

    [Fact]
    public async Task FailingRekey_NotRetriedByItself_RotationStopsThere_RetryRunsItOnceMore()
    {
        using var sidecar = WithCertificate(o => o.Hooks.Rekey = $"[ -f '{o.Data}/ca-is-back' ] || {{ echo x >> '{o.Data}/rekey-tries'; echo 'rate limited' >&2; exit 1; }}; " + Rekey(o, "destroyed"));

        var first = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "test"));

        Assert.False(first.Ok);
        Assert.Equal(RotationStep.Rekey, first.Value!.Step);
        Assert.Contains("rekey hook failed: exit 1: rate limited", first.Error);
        Assert.Single(File.ReadAllLines(Path.Combine(sidecar.Options.Data, "rekey-tries"))); // one issuance asked for, not one per retry
        Assert.Equal(EdgeRole.Retired, sidecar.Session.Inventory.Find("edge-2")!.Role);
        Assert.Empty(Installed(sidecar));

        await File.WriteAllTextAsync(Path.Combine(sidecar.Options.Data, "ca-is-back"), "");
        var retried = await sidecar.Drive(sidecar.Session.Engine.RotateAsync("edge-2", "by hand"));

        Assert.True(retried.Ok, retried.Error);
        Assert.Equal(first.Value.Id, retried.Value!.Id);
        Assert.Equal(["edge-2 after destroy"], sidecar.Log("rekeyed"));
        Assert.Equal(["edge-1 new-key", "edge-2-r1 new-key"], Installed(sidecar));
        Assert.Equal(["edge-2-r1"], sidecar.Log("created")); // nothing else re-run
    }

    /// <summary>A sidecar in TLS mode with a certificate "one" and a certificate hook that logs each edge and the certificate it got.</summary>
    private static FakeSidecar WithCertificate(Action<SidecarOptions>? adjust = null) => FakeSidecar.Create(o =>
    {
        var directory = Path.Combine(Root(o), "certificate");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "fullchain.pem"), "one");
        File.WriteAllText(Path.Combine(directory, "privkey.pem"), "");
        File.SetUnixFileMode(Path.Combine(directory, "privkey.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        o.Nginx.CertificateDir = directory;
        o.Hooks.Certificate = $"echo \"$EDGE_NAME $(cat \"$EDGE_CERT_DIR/fullchain.pem\")\" >> '{Root(o)}/installed'";
        adjust?.Invoke(o);
    });

    /// <summary>What certbot and its deploy hook do, in one: a new key (0600) and certificate in the sidecar's directory; logs whether the edge was destroyed first.</summary>
    private static string Rekey(SidecarOptions o, string destroyedLog) =>
        $"echo \"$EDGE_NAME $(grep -q \"^$EDGE_NAME \" '{Root(o)}/{destroyedLog}' && echo after destroy || echo BEFORE destroy)\" >> '{Root(o)}/rekeyed'; "
        + "(umask 077 && printf new-private-key > \"$EDGE_CERT_DIR/.privkey.pem.new\") && mv -f \"$EDGE_CERT_DIR/.privkey.pem.new\" \"$EDGE_CERT_DIR/privkey.pem\" && "
        + "printf new-key > \"$EDGE_CERT_DIR/fullchain.pem\"";

    /// <summary>The test's scratch directory, where the hooks log (<see cref="FakeSidecar.Log"/> reads there).</summary>
    private static string Root(SidecarOptions o) => Path.GetDirectoryName(Path.GetFullPath(o.Data))!;

    /// <summary>The certificate hook's log, each line an edge and the certificate it was sent; taken away.</summary>
    private static string[] Installed(FakeSidecar sidecar)
    {
        var lines = sidecar.Log("installed");
        File.Delete(sidecar.Scratch["installed"]);
        return lines;
    }
}
