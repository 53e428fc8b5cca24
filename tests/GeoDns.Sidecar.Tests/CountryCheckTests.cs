using GeoDns.Sidecar.Commands;
using GeoDns.Sidecar.Fleet;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// hooks.countries, checked before anything is bought: bootstrap refuses a config with a country the provider does not
/// serve, naming its key, with nothing bought (the local provider's own create.sh and countries.sh, its created.log the
/// proof), and a rotation's preflight refuses to replace an edge in such a country.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class CountryCheckTests : IDisposable
{
    private readonly Scratch _scratch = new();
    private readonly LocalProvider _provider;

    public CountryCheckTests() => _provider = new LocalProvider(_scratch);

    /// <summary>A sidecar on the fake nameservers whose provider is deploy/hooks/local, with a location in <paramref name="countries"/> alone.</summary>
    private FakeSidecar Sidecar(string countries, bool check, Action<SidecarOptions>? adjust = null) => FakeSidecar.Create(o =>
    {
        o.Hooks.Create = LocalProvider.Hook("create");
        o.Hooks.Provision = LocalProvider.Hook("provision");
        o.Hooks.Destroy = LocalProvider.Hook("destroy");
        if (check) o.Hooks.Countries = LocalProvider.Hook("countries");
        o.Hooks.Environment = new(_provider.Environment) { ["LOCAL_EDGE_COUNTRIES"] = countries };
        o.Edges =
        [
            new EdgeHost { Name = "edge-1", Country = "DE" },
            new EdgeHost { Name = "edge-2", Country = "SG" },
            new EdgeHost { Name = "edge-3", Country = "BR" },
        ];
        adjust?.Invoke(o);
    });

    [Fact]
    public async Task Bootstrap_LastEdgeInACountryNotServed_NothingBought_TheKeyNamed()
    {
        using var sidecar = Sidecar("DE SG US", check: true);
        var output = new StringWriter();

        var code = await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        Assert.Equal(1, code);
        Assert.Contains("bootstrap failed: preflight: edges[2].country: 'BR' is not a country hooks.countries serves (DE, SG, US)", output.ToString());
        Assert.Contains("nothing was bought in this run", output.ToString());
        Assert.Empty(_provider.Log("created.log"));
        Assert.All(new[] { sidecar.Ns1, sidecar.Ns2 }, ns => Assert.Empty(ns.Requests)); // not even asked
    }

    [Fact]
    public async Task Bootstrap_WithoutTheCheck_CreateRefusesAtTheEntry_TheEdgesBeforeItBoughtAlready()
    {
        using var sidecar = Sidecar("DE SG US", check: false);
        var output = new StringWriter();

        var code = await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        // Why the check exists: two VPS bought for a config that could never be built.
        Assert.Equal(1, code);
        Assert.Contains("bootstrap failed: edge-3: create hook failed: exit 1: no location in country 'BR': LOCAL_EDGE_COUNTRIES lists DE SG US", output.ToString());
        Assert.Equal(["edge-1", "edge-2"], _provider.Log("created.log").Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task Bootstrap_ANameserverInACountryNotServed_NothingBought_TheKeyNamed()
    {
        using var sidecar = Sidecar("DE SG US", check: true, o =>
        {
            o.Nameservers = [];
            o.Hooks.ProvisionNameserver = LocalProvider.Hook("provision-nameserver");
            o.Fleet = new FleetOptions
            {
                Zone = "example.com",
                Nameservers = [new() { Name = "ns1", Country = "DE" }, new() { Name = "ns2", Country = "BR" }],
            };
            o.Edges = [new EdgeHost { Name = "edge-1", Country = "DE" }];
        });
        var output = new StringWriter();

        var code = await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        Assert.Equal(1, code);
        Assert.Contains("bootstrap failed: preflight: fleet.nameservers[1].country: 'BR' is not a country hooks.countries serves (DE, SG, US)", output.ToString());
        Assert.Empty(_provider.Log("created.log"));
    }

    [Fact]
    public async Task Bootstrap_CountriesHookFails_PreflightFailsWithItsLastLine_NothingBought()
    {
        using var sidecar = Sidecar("DE SG US", check: true, o => o.Hooks.Countries = "echo 'asking the provider' >&2; echo 'oci: ConfigFileNotFound' >&2; exit 3");
        var output = new StringWriter();

        var code = await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        Assert.Equal(1, code);
        Assert.Contains("bootstrap failed: preflight: countries hook failed: exit 3: oci: ConfigFileNotFound", output.ToString());
        Assert.Empty(_provider.Log("created.log"));
    }

    [Fact]
    public async Task Bootstrap_EveryCountryServed_BuysThemAll()
    {
        // Provision fails, to stop there: what comes after the purchases is other tests' business.
        using var sidecar = Sidecar("DE SG BR", check: true, o => o.Hooks.Environment["LOCAL_PROVISION_FAIL"] = "1");
        var output = new StringWriter();

        await sidecar.Drive(BootstrapCommand.RunAsync(sidecar.Session, output, CancellationToken.None));

        Assert.Contains("bootstrap failed: edge-1: provision hook failed", output.ToString());
        Assert.Equal(["edge-1", "edge-2", "edge-3"], _provider.Log("created.log").Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public async Task Rotation_ReplacedEdgesCountryNotServed_PreflightFails_NothingBought()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Hooks.Countries = LocalProvider.Hook("countries");
            o.Hooks.Environment["LOCAL_EDGE_COUNTRIES"] = "DE US";
        });
        var engine = sidecar.Session.Engine;

        // edge-2 is listed in sidecar.json, in SG.
        var refused = await sidecar.Drive(engine.RotateAsync("edge-2", "test"));
        Assert.Equal("preflight: edges[1].country: 'SG' is not a country hooks.countries serves (DE, US)", refused.Error);
        Assert.Empty(sidecar.Log("created"));

        // edge-1 is in DE: past the preflight, its replacement bought.
        var rotated = await sidecar.Drive(engine.RotateAsync("edge-1", "test"));
        Assert.True(rotated.Ok, rotated.Error);
        Assert.Equal(["edge-1-r1"], sidecar.Log("created"));

        // edge-1-r1 is in no config entry: its country is the create hook's.
        sidecar.Options.Hooks.Environment["LOCAL_EDGE_COUNTRIES"] = "US";
        var again = await sidecar.Drive(engine.RotateAsync("edge-1-r1", "test"));
        Assert.Equal("preflight: edge-1-r1's country: 'DE' is not a country hooks.countries serves (US)", again.Error);
        Assert.Equal(["edge-1-r1"], sidecar.Log("created"));
    }

    public void Dispose()
    {
        _provider.Dispose();
        _scratch.Dispose();
    }
}
