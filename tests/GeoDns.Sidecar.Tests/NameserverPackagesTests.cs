using GeoDns.Sidecar.Fleet;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The package a nameserver is installed again with (bootstrap, rotate): a copy kept under DATA/packages, so a package
/// given from /tmp survives its cleaning, and never a quiet fall back to fleet.package when the recorded one is gone.
/// </summary>
public sealed class NameserverPackagesTests
{
    [Fact]
    public void Package_NoneRecorded_FleetPackageKeptOwnerOnly_ByContent()
    {
        using var sidecar = FakeSidecar.Create();
        var deb = sidecar.Scratch["geodns_1.0_amd64.deb"];
        File.WriteAllText(deb, "one build");
        sidecar.Options.Fleet.Package = deb;

        var kept = FleetBootstrap.Package(sidecar.Session, "ns1");

        Assert.True(kept.Ok, kept.Error);
        Assert.StartsWith(NameserverPackages.Root(sidecar.Options.Data) + "/", kept.Value);
        Assert.Equal("geodns_1.0_amd64.deb", Path.GetFileName(kept.Value)); // the name carries the version
        Assert.Equal("one build", File.ReadAllText(kept.Value!));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(NameserverPackages.Root(sidecar.Options.Data)));
        // Kept again: the same copy. Another build under the same name: its own, the first left as the state records it.
        Assert.Equal(kept.Value, NameserverPackages.Keep(sidecar.Options.Data, deb));
        File.WriteAllText(deb, "a rebuild");
        var rebuilt = NameserverPackages.Keep(sidecar.Options.Data, deb);
        Assert.NotEqual(kept.Value, rebuilt);
        Assert.Equal("one build", File.ReadAllText(kept.Value!));
    }

    [Fact]
    public void Package_RecordedFileGone_Fails_InsteadOfInstallingFleetPackage()
    {
        using var sidecar = FakeSidecar.Create();
        var deb = sidecar.Scratch["geodns_1.0_amd64.deb"];
        File.WriteAllText(deb, "the older build");
        sidecar.Options.Fleet.Package = deb;
        var gone = sidecar.Scratch["tmp/geodns_1.1_amd64.deb"];
        sidecar.Session.FleetState.SaveProvisioned("ns1", new Provisioned(gone, "digest", sidecar.Time.GetUtcNow(), "ns1"));

        var package = FleetBootstrap.Package(sidecar.Session, "ns1");

        Assert.False(package.Ok);
        Assert.Equal($"ns1: the recorded package {gone} is missing; run `geodns-sidecar upgrade` with it (geodns_1.1_amd64.deb) again", package.Error);
    }
}
