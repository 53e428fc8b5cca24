namespace GeoDns.Sidecar.Tests;

/// <summary>
/// Each provider's hook set (hetzner, digitalocean, vultr, oracle) against its fake CLI, one hook at a
/// time: create picks the location by the country (or the override variable) or fails before buying
/// anything, finds the VPS it made before, and prints the contract's JSON; destroy deletes the VPS,
/// never one at another address, succeeds when it is gone already, and forgets its key; provision pins
/// the key and closes public SSH; tighten goes through the tunnel with every word quoted; and what
/// Oracle's free tier needs. <see cref="ProviderHookTests"/> follows an edge's whole life.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class ProviderHookSetTests : ProviderHookFixture
{
    [Theory]
    [InlineData("hetzner", "DE", "fsn1")]
    [InlineData("hetzner", "FI", "hel1")]
    [InlineData("hetzner", "US", "ash")]
    [InlineData("hetzner", "SG", "sin")]
    [InlineData("digitalocean", "DE", "fra1")]
    [InlineData("digitalocean", "NL", "ams3")]
    [InlineData("digitalocean", "GB", "lon1")]
    [InlineData("digitalocean", "US", "nyc3")]
    [InlineData("digitalocean", "SG", "sgp1")]
    [InlineData("digitalocean", "AU", "syd1")]
    [InlineData("vultr", "DE", "fra")]
    [InlineData("vultr", "NL", "ams")]
    [InlineData("vultr", "GB", "lhr")]
    [InlineData("vultr", "FR", "cdg")]
    [InlineData("vultr", "US", "ewr")]
    [InlineData("vultr", "SG", "sgp")]
    [InlineData("vultr", "JP", "nrt")]
    [InlineData("vultr", "AU", "syd")]
    [InlineData("oracle", "DE", "eu-frankfurt-1")] // the fake tenancy's home region
    public async Task Create_TheReplacedEdgesCountry_PicksTheLocation(string folder, string country, string location)
    {
        var created = await CreateAsync(folder, "edge-c", country);

        var buy = Assert.Single(Buys(folder, Shell.TakeCalls()));
        Assert.Equal(location, Option(buy, Of(folder).Where));
        Assert.Equal(country, Edge(created).GetProperty("country").GetString());
        Assert.True(Shell.Exists("edge-c"));
    }

    [Theory]
    [InlineData("hetzner", "nbg1", "DE")]
    [InlineData("digitalocean", "ams3", "NL")]
    [InlineData("vultr", "waw", "PL")]
    [InlineData("oracle", "eu-amsterdam-1", "NL")]
    public async Task Create_TheOverrideVariable_WinsOverTheCountry(string folder, string location, string country)
    {
        var created = await CreateAsync(folder, "edge-o", "IS", new() { [Of(folder).Override] = location });

        var buy = Assert.Single(Buys(folder, Shell.TakeCalls()));
        Assert.Equal(location, Option(buy, Of(folder).Where));
        Assert.Equal(country, Edge(created).GetProperty("country").GetString());
    }

    [Theory]
    [InlineData("hetzner", "BR")]
    [InlineData("digitalocean", "BR")]
    [InlineData("vultr", "IS")]
    [InlineData("oracle", "NL")] // the home region is in DE, and free tier VMs run only there
    public async Task Create_ACountryWithoutALocation_FailsClearly_BuyingNothing(string folder, string country)
    {
        var created = await CreateAsync(folder, "edge-x", country, expectExit: 1);

        // One line, for `status`: which country, and what to set.
        var reason = Assert.Single(created.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'{country}'", reason);
        Assert.Contains($"set {Of(folder).Override} in hooks.environment", reason);
        Assert.Equal("", created.Stdout);
        Assert.Empty(Buys(folder, Shell.TakeCalls()));
        Assert.False(Shell.Exists("edge-x"));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Create_RunAgain_FindsTheVpsItMade_AndPrintsTheSame(string folder)
    {
        var first = await CreateAsync(folder, "edge-r", "DE");
        var again = await CreateAsync(folder, "edge-r", "DE");

        Assert.Single(Buys(folder, Shell.TakeCalls()));
        Assert.Equal(Edge(first).GetRawText(), Edge(again).GetRawText());
    }

    [Theory]
    [InlineData("hetzner", "2001:db8:7::1", 50.47612, 12.370071)] // ::1 in the server's /64
    [InlineData("digitalocean", "2001:db8:7::10", 50.11, 8.68)]
    [InlineData("vultr", "2001:db8:7:0:5400:4ff:fe6a:1b2c", 50.11, 8.68)] // read once Vultr has left "pending" and 0.0.0.0
    [InlineData("oracle", null, 50.11, 8.68)] // no IPv6 unless the subnet has a prefix (OCI_ASSIGN_IPV6)
    public async Task Create_PrintsTheContractsJson(string folder, string? ipv6, double latitude, double longitude)
    {
        var edge = Edge(await CreateAsync(folder, "edge-j", "DE"));

        Assert.Equal(["name", "ipv4", "ipv6", "latitude", "longitude", "country"], edge.EnumerateObject().Select(p => p.Name));
        Assert.Equal("edge-j", edge.GetProperty("name").GetString());
        Assert.Equal(Shell.Ipv4, edge.GetProperty("ipv4").GetString());
        Assert.Equal(ipv6, edge.GetProperty("ipv6").GetString());
        Assert.Equal(latitude, edge.GetProperty("latitude").GetDouble());
        Assert.Equal(longitude, edge.GetProperty("longitude").GetDouble());
        Assert.Equal("DE", edge.GetProperty("country").GetString());
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Destroy_AVpsGoneAlready_Succeeds_AndForgetsItsKey(string folder)
    {
        File.WriteAllLines(KnownHosts, ["edge-g ssh-ed25519 AAAAgoneEdge", "edge-b ssh-ed25519 AAAAotherEdge"]);

        var destroyed = await HookAsync($"{folder}/destroy.sh", "edge-g", new(Of(folder).Needs));

        Assert.Contains("edge-g is gone already", destroyed.Stderr);
        var calls = Shell.TakeCalls();
        Assert.NotEmpty(calls); // the provider's fake was asked (and no real CLI)
        Assert.DoesNotContain(calls, c => c.Take(Of(folder).Delete.Length).SequenceEqual(Of(folder).Delete));
        Assert.Equal(["edge-b ssh-ed25519 AAAAotherEdge"], File.ReadAllLines(KnownHosts));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Destroy_DeletesTheVps_ButNotOneAtAnotherAddress(string folder)
    {
        await CreateAsync(folder, "edge-z", "DE");
        Shell.TakeCalls();

        var refused = await HookAsync($"{folder}/destroy.sh", "edge-z", new(Of(folder).Needs) { ["EDGE_IPV4"] = "198.51.100.9" }, expectExit: 1);
        Assert.Contains($"refusing: edge-z has {Shell.Ipv4}, not 198.51.100.9", refused.Stderr);
        Assert.True(Shell.Exists("edge-z"));

        await HookAsync($"{folder}/destroy.sh", "edge-z", new(Of(folder).Needs));
        Assert.Single(Shell.TakeCalls(), c => c.Take(Of(folder).Delete.Length).SequenceEqual(Of(folder).Delete));
        Assert.False(Shell.Exists("edge-z"));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Provision_PinsTheHostKey_ClosesPublicSsh_CertificateThroughTheTunnel(string folder)
    {
        await CreateAsync(folder, "edge-p", "DE");
        Shell.TakeCalls();
        Shell.Unreachable(Tunnel);

        await HookAsync($"{folder}/provision.sh", "edge-p");
        var provision = Shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", Shell.Ipv4]], provision.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"edge-p ssh-ed25519 {Shell.HostKey}"], File.ReadAllLines(KnownHosts));
        var connections = provision.Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.All(connections, StrictlyPinned("edge-p"));
        Assert.All(connections, c => Assert.Equal(Shell.Ipv4, Address(c)));
        var firewall = string.Join(' ', connections[^1]);
        Assert.Contains("flush ruleset", firewall);
        Assert.Contains("iifname \"wg0\" accept", firewall);
        Assert.DoesNotContain(provision, c => c[0] == Of(folder).Buy[0]); // provision buys nothing

        Shell.Unreachable(Shell.Ipv4);
        await HookAsync($"{folder}/certificate.sh", "edge-p");
        var certificate = Shell.TakeCalls();
        Assert.NotEmpty(certificate);
        Assert.All(certificate, StrictlyPinned("edge-p"));
        Assert.All(certificate, c => Assert.Equal(Tunnel, Address(c)));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Tighten_ThroughTheTunnel_EveryWordQuotedForTheEdgesShell(string folder)
    {
        File.WriteAllLines(KnownHosts, [$"edge-t ssh-ed25519 {Shell.HostKey}"]);
        var marker = Scratch["ran"];

        await HookAsync($"{folder}/tighten.sh", "edge-t", new()
        {
            ["ATTACK_KIND"] = "flood",
            ["ATTACK_BAN_SECONDS"] = "600",
            // Never from the sidecar, which hands on addresses only: were a word not quoted, the edge's shell would run it.
            ["ATTACK_SOURCES"] = $"198.51.100.66  2001:db8::7 $(touch {marker}) ;touch\\ {marker} *",
            ["ATTACK_COUNTRIES"] = "CN RU",
        });

        var call = Assert.Single(Shell.TakeCalls());
        StrictlyPinned("edge-t")(call);
        Assert.Equal(Tunnel, Address(call));
        // What the edge's shell makes of the one string ssh hands it: exactly these words, and nothing run.
        var words = await Script.RunAsync("/bin/bash", ["-c", "env() { printf '%s\\n' \"$@\"; }; " + call[^1]], TimeSpan.FromSeconds(10), workingDirectory: Scratch.Path);
        Assert.Equal(["TIGHTEN_COUNTRIES=CN RU", "/usr/local/sbin/geodns-edge-tighten", "/etc/nginx/nginx.conf", "on", "600",
            "198.51.100.66", "2001:db8::7", $"$(touch", $"{marker})", ";touch\\", $"{marker}", "*"], words.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Oracle_LaunchesTheFreeTierShape_WithRootLetIn_AndTerminatesWithItsBootVolume()
    {
        await CreateAsync("oracle", "edge-f", "DE");
        var launch = Assert.Single(Buys("oracle", Shell.TakeCalls()));
        Assert.Equal("VM.Standard.A1.Flex", Option(launch, "--shape"));
        Assert.Equal("{\"ocpus\": 1, \"memoryInGBs\": 6}", Option(launch, "--shape-config"));
        Assert.Equal("Uocm:EU-FRANKFURT-1-AD-1", Option(launch, "--availability-domain"));
        Assert.Equal("true", Option(launch, "--assign-public-ip"));
        Assert.Equal(Scratch["home.pub"], Option(launch, "--ssh-authorized-keys-file"));

        // The instance the fake keeps holds what cloud-init got: root takes the same key as ubuntu.
        var state = Directory.GetFiles(Path.Combine(Shell.Directory, "vps"), "*.oci.json").Single();
        var userData = System.Text.Json.JsonDocument.Parse(File.ReadAllText(state)).RootElement
            .GetProperty("instance").GetProperty("metadata").GetProperty("user_data").GetString()!;
        Assert.Equal("#cloud-config\ndisable_root: false\n", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(userData)));

        await HookAsync("oracle/destroy.sh", "edge-f", new(Of("oracle").Needs));
        var terminate = Assert.Single(Shell.TakeCalls(), c => c is ["oci", "compute", "instance", "terminate", ..]);
        Assert.Equal("false", Option(terminate, "--preserve-boot-volume"));
        // Terminated instances stay listed a while: create again buys a new one rather than finding that.
        await CreateAsync("oracle", "edge-f", "DE");
        Assert.Single(Buys("oracle", Shell.TakeCalls()));
    }
}
