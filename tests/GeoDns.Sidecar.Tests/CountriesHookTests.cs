using System.Text.Json;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Each shipped provider's countries.sh against its create.sh, both reading one table (locations.sh): create buys in
/// every country countries.sh prints, the VPS then in that country, and refuses every other before buying anything;
/// with the override variable set, countries.sh prints the override's country alone. The clouds run against their fake
/// CLIs (ProviderFakes/, as in <see cref="ProviderHookTests"/>); netns with a stand-in for `ip`, the one part of its
/// create that needs root; local as it is.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class CountriesHookTests : IDisposable
{
    /// <summary>Countries no shipped cloud has a location in: every provider must refuse them too.</summary>
    private static readonly string[] Nowhere = ["IS", "AQ", "KE", "AR"];

    private readonly Scratch _scratch = new();
    private readonly FakeEdgeShell _shell;

    public CountriesHookTests()
    {
        _shell = new FakeEdgeShell(_scratch);
        File.WriteAllText(_scratch["home.pub"], "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomeKey home\n");
        // netns/create.sh's namespaces and veths, made by `ip` as root: here a stand-in that makes none.
        Directory.CreateDirectory(_scratch["ip"]);
        File.WriteAllText(_scratch["ip/ip"], "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(_scratch["ip/ip"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static TheoryData<string> Clouds => new(["hetzner", "digitalocean", "vultr", "oracle"]);

    /// <summary>What each provider's hooks need, the fakes first on PATH.</summary>
    private Dictionary<string, string> Environment(string folder, Dictionary<string, string>? more = null)
    {
        var environment = folder switch
        {
            "hetzner" => new Dictionary<string, string> { ["HCLOUD_SSH_KEY"] = "home" },
            "digitalocean" => new() { ["DO_SSH_KEY"] = "12345" },
            "vultr" => new() { ["VULTR_SSH_KEY"] = "3b8066a7-b438-455a-9688-44afc9a3597f" },
            "oracle" => new()
            {
                ["OCI_COMPARTMENT_ID"] = "ocid1.compartment.oc1..aaaaaaaafakecompartment",
                ["OCI_SUBNET_ID"] = "ocid1.subnet.oc1.eu-frankfurt-1.aaaaaaaafakesubnet",
                ["OCI_IMAGE_ID"] = "ocid1.image.oc1.eu-frankfurt-1.aaaaaaaafakeubuntu2404aarch64",
                ["OCI_SSH_PUBLIC_KEY"] = _scratch["home.pub"],
            },
            "netns" => new()
            {
                ["NETNS_STATE"] = _scratch["netns"],
                ["NETNS_BRIDGE_NS"] = "gl-bridge",
                ["NETNS_BRIDGE"] = "glbr0",
                ["NETNS_PREFIX"] = "198.51.100.",
            },
            "local" => new()
            {
                ["LOCAL_EDGE_STATE"] = _scratch["local"],
                ["LOCAL_EDGE_PREFIX"] = "127.88.0.",
                ["GEODNS_SIDECAR"] = "false", // a nameserver is an address only: nothing is started
                ["EDGE_ROLE"] = "nameserver",
            },
            _ => throw new ArgumentException(folder),
        };
        foreach (var (name, value) in more ?? []) environment[name] = value;
        var found = _shell.Environment(environment);
        if (folder == "netns") found["PATH"] = $"{_scratch["ip"]}:{found["PATH"]}";
        return found;
    }

    [Theory]
    [MemberData(nameof(Clouds))]
    [InlineData("netns")]
    public async Task Countries_EachPrinted_CreateBuysThere_EveryOtherRefusedBeforeBuying(string folder)
    {
        var served = await CountriesAsync(folder);

        Assert.NotEmpty(served);
        foreach (var country in served)
        {
            var created = await CreateAsync(folder, $"edge-{country.ToLowerInvariant()}", country, 0);
            Assert.Equal(country, Edge(created).GetProperty("country").GetString());
            // Forgotten by the fake provider: each of its lists reads every VPS it holds, and a long one is slow.
            if (Directory.Exists(Path.Combine(_shell.Directory, "vps"))) Directory.Delete(Path.Combine(_shell.Directory, "vps"), recursive: true);
        }
        _shell.TakeCalls();
        var others = (await EveryTableCountryAsync()).Concat(Nowhere).Except(served).ToList();
        Assert.NotEmpty(others);
        foreach (var country in others)
        {
            var refused = await CreateAsync(folder, "edge-x", country, 1);
            Assert.Contains($"'{country}'", Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        Assert.DoesNotContain(_shell.TakeCalls(), c => c is ["hcloud", "server", "create", ..] or ["doctl", "compute", "droplet", "create", ..]
            or ["vultr-cli", "instance", "create", ..] or ["oci", "compute", "instance", "launch", ..]);
        Assert.False(_shell.Exists("edge-x"));
        Assert.False(File.Exists(_scratch["netns/edge-x.json"]));
    }

    [Theory]
    [InlineData("hetzner", "HCLOUD_LOCATION", "hel1", "FI")]
    [InlineData("digitalocean", "DO_REGION", "ams3", "NL")]
    [InlineData("vultr", "VULTR_REGION", "waw", "PL")]
    [InlineData("oracle", "OCI_REGION", "eu-amsterdam-1", "NL")]
    public async Task Countries_OverrideSet_ItsCountryAlone_WhereCreateBuys(string folder, string variable, string location, string country)
    {
        var more = new Dictionary<string, string> { [variable] = location };

        Assert.Equal([country], await CountriesAsync(folder, more));
        var created = await CreateAsync(folder, "edge-o", country, 0, more);
        Assert.Equal(country, Edge(created).GetProperty("country").GetString());
    }

    [Theory]
    [InlineData("hetzner", "HCLOUD_LOCATION")]
    [InlineData("digitalocean", "DO_REGION")]
    [InlineData("vultr", "VULTR_REGION")]
    [InlineData("oracle", "OCI_REGION")]
    public async Task Countries_OverrideNotInTheTable_FailsNamingIt(string folder, string variable)
    {
        var listed = await RunAsync($"{folder}/countries.sh", Environment(folder, new() { [variable] = "xx-nowhere-9" }), 1);

        Assert.Equal("", listed.Stdout);
        var reason = Assert.Single(listed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'xx-nowhere-9' is not in", reason);
        Assert.Contains($"{folder}/locations.sh", reason);
    }

    [Fact]
    public async Task Countries_OracleHomeRegionElsewhere_ItsCountry()
    {
        var more = new Dictionary<string, string> { ["FAKE_OCI_HOME_REGION"] = "ap-singapore-1" };

        Assert.Equal(["SG"], await CountriesAsync("oracle", more));
        await CreateAsync("oracle", "edge-s", "SG", 0, more);
        await CreateAsync("oracle", "edge-d", "DE", 1, more);
    }

    [Fact]
    public async Task Countries_Local_EveryIsoCode_EachMade_NoneElse()
    {
        var served = await CountriesAsync("local");

        Assert.Equal(249, served.Count); // ISO 3166-1: a loopback address stands for any country
        Assert.Contains("DE", served);
        foreach (var country in served) await CreateAsync("local", $"ns-{country.ToLowerInvariant()}", country, 0);
        foreach (var code in new[] { "XX", "de", "DEU" })
            Assert.Contains($"'{code}' is not an ISO 3166 country code", (await CreateAsync("local", "ns-x", code, 1)).Stderr);
        Assert.Equal(249, File.ReadAllLines(_scratch["local/created.log"]).Length);
    }

    [Fact]
    public async Task Countries_LocalNarrowed_ThoseAlone_EveryOtherRefusedBeforeMakingOne()
    {
        var more = new Dictionary<string, string> { ["LOCAL_EDGE_COUNTRIES"] = "DE SG" };

        Assert.Equal(["DE", "SG"], await CountriesAsync("local", more));
        await CreateAsync("local", "ns1", "DE", 0, more);
        await CreateAsync("local", "ns2", "SG", 0, more);
        var refused = await CreateAsync("local", "ns3", "BR", 1, more);

        Assert.Equal("no location in country 'BR': LOCAL_EDGE_COUNTRIES lists DE SG", refused.Stderr.Trim());
        Assert.Equal(["ns1 127.88.0.100", "ns2 127.88.0.101"], File.ReadAllLines(_scratch["local/created.log"]));
    }

    /// <summary>Every country a provider with a table prints: what each other provider must refuse unless it prints it too.</summary>
    private async Task<IReadOnlyList<string>> EveryTableCountryAsync()
    {
        var all = new List<string>();
        foreach (var folder in new[] { "hetzner", "digitalocean", "vultr", "oracle", "netns" }) all.AddRange(await CountriesAsync(folder));
        return all.Distinct().ToList();
    }

    private async Task<IReadOnlyList<string>> CountriesAsync(string folder, Dictionary<string, string>? more = null)
    {
        var listed = await RunAsync($"{folder}/countries.sh", Environment(folder, more), 0);
        Assert.Equal("", listed.Stderr);
        // Nothing bought, nothing asked of the provider beyond where home is.
        Assert.All(_shell.TakeCalls(), c => Assert.Equal(["oci", "iam", "region-subscription", "list"], c));
        return listed.Stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private Task<Script.Result> CreateAsync(string folder, string name, string country, int expectExit, Dictionary<string, string>? more = null)
    {
        var environment = Environment(folder, more);
        environment["EDGE_NAME"] = name;
        environment["EDGE_COUNTRY"] = country;
        return RunAsync($"{folder}/create.sh", environment, expectExit);
    }

    private static async Task<Script.Result> RunAsync(string hook, Dictionary<string, string> environment, int expectExit)
    {
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/{hook}"), [], TimeSpan.FromSeconds(60), environment: environment);
        Assert.True(result.ExitCode == expectExit, $"{hook} ({environment.GetValueOrDefault("EDGE_COUNTRY")}): {result.Describe()}");
        return result;
    }

    /// <summary>The edge's JSON as the sidecar reads it: the last line of stdout that is JSON.</summary>
    private static JsonElement Edge(Script.Result created) =>
        JsonDocument.Parse(created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'))).RootElement;

    public void Dispose() => _scratch.Dispose();
}
