namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The provider hooks (deploy/hooks/hetzner, digitalocean, vultr, oracle) against fake provider CLIs
/// that answer as the real ones do (FakeEdgeShell, ProviderFakes/) and a fake ssh that checks host
/// keys as OpenSSH does: create picks the location by country or fails before buying anything, finds
/// the VPS it made before, and prints the contract's JSON; the key is pinned at the first provision,
/// every connection checks it strictly, public SSH closes at the end of provision, later calls go
/// through the tunnel, and destroy deletes the VPS (or finds it gone) and forgets the key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash, the known_hosts mode a Unix one
public sealed class ProviderHookTests : IDisposable
{
    private const string Tunnel = "10.77.0.5";
    private readonly Scratch _scratch = new();
    private readonly FakeEdgeShell _shell;

    public ProviderHookTests()
    {
        _shell = new FakeEdgeShell(_scratch);
        Directory.CreateDirectory(_scratch["data"]);
        Directory.CreateDirectory(_scratch["cert"]);
        File.WriteAllText(_scratch["wg0.conf"], "[Interface]\n");
        File.WriteAllText(_scratch["nginx.conf"], "  ssl_certificate /etc/letsencrypt/live/app.example.com/fullchain.pem;\n");
        File.WriteAllText(_scratch["cert/fullchain.pem"], "chain");
        File.WriteAllText(_scratch["cert/privkey.pem"], "key");
        File.WriteAllText(_scratch["home.pub"], "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomeKey home\n");
    }

    private string KnownHosts => _scratch["data/known_hosts"];

    [Fact]
    public async Task Hetzner_Lifecycle_KeyPinnedOnce_PublicSshClosed_LaterCallsThroughTheTunnel_DestroyForgetsTheKey()
    {
        var created = await HookAsync("hetzner/create.sh", "edge-a", new() { ["HCLOUD_SSH_KEY"] = "home" });
        Assert.Equal("203.0.113.7", Edge(created).GetProperty("ipv4").GetString());
        Assert.DoesNotContain(_shell.TakeCalls(), c => c[0] is "ssh" or "scp" or "ssh-keyscan");

        // First provision: the tunnel is not up yet; everything goes to the public address.
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        var provision = _shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", "203.0.113.7"]], provision.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"edge-a ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KnownHosts));
        var connections = provision.Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.All(connections, StrictlyPinned("edge-a"));
        Assert.All(connections, c => Assert.Equal("203.0.113.7", Address(c)));
        // The firewall is the last thing done, and it lets SSH in through the tunnel only.
        var firewall = string.Join(' ', connections[^1]);
        Assert.Contains("flush ruleset", firewall);
        Assert.Contains("tcp dport { 80, 443 } accept", firewall);
        Assert.Contains("iifname \"wg0\" accept", firewall);
        Assert.DoesNotContain("22", firewall);

        // Once provisioned: the public port is closed, and the certificate goes through the tunnel.
        _shell.Unreachable("203.0.113.7");
        await HookAsync("hetzner/certificate.sh", "edge-a");
        var certificate = _shell.TakeCalls();
        Assert.Equal(3, certificate.Count);
        Assert.All(certificate, StrictlyPinned("edge-a"));
        Assert.All(certificate, c => Assert.Equal(Tunnel, Address(c)));
        Assert.Contains(certificate, c => c[0] == "scp" && c.Contains(_scratch["cert/privkey.pem"]));

        // Provision again (a retry, a resumed rotation): it finds the edge through the tunnel, pins nothing new.
        await HookAsync("hetzner/provision.sh", "edge-a");
        var again = _shell.TakeCalls();
        Assert.DoesNotContain(again, c => c[0] == "ssh-keyscan");
        Assert.All(again.Where(c => c[0] is "ssh" or "scp"), c => Assert.Equal(Tunnel, Address(c)));
        Assert.Single(File.ReadAllLines(KnownHosts));

        // Destroy deletes the server and its pinned key, and leaves other edges' keys alone.
        File.AppendAllLines(KnownHosts, ["edge-b ssh-ed25519 AAAAotherEdge"]);
        await HookAsync("hetzner/destroy.sh", "edge-a");
        Assert.Contains(_shell.TakeCalls(), c => c is ["hcloud", "server", "delete", "edge-a"]);
        Assert.False(_shell.Exists("edge-a"));
        Assert.Equal(["edge-b ssh-ed25519 AAAAotherEdge"], File.ReadAllLines(KnownHosts));
        // Run again (the sidecar may): gone already, still succeeds.
        await HookAsync("hetzner/destroy.sh", "edge-a");
    }

    [Fact]
    public async Task RecycledAddress_NewVpsWithANewKey_ProvisionsCleanly()
    {
        // An edge destroyed earlier had this very address; its key was pinned under its own name.
        File.WriteAllLines(KnownHosts, ["edge-old ssh-ed25519 AAAAkeyOfTheOldVps"]);
        _shell.Unreachable(Tunnel);

        await HookAsync("hetzner/provision.sh", "edge-new");

        Assert.Equal(["edge-old ssh-ed25519 AAAAkeyOfTheOldVps", $"edge-new ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        Assert.All(_shell.TakeCalls().Where(c => c[0] is "ssh" or "scp"), StrictlyPinned("edge-new"));
    }

    [Fact]
    public async Task ChangedHostKey_AfterPinning_Refused()
    {
        _shell.Unreachable(Tunnel);
        await HookAsync("hetzner/provision.sh", "edge-a");
        _shell.TakeCalls();

        // Someone else answers at the tunnel address (or the public one) with another key.
        _shell.HostKey = "AAAAC3NzaC1lZDI1NTE5AAAAIImpostorKey";
        _shell.Unreachable();
        var certificate = await HookAsync("hetzner/certificate.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", certificate.Stderr);
        var provision = await HookAsync("hetzner/provision.sh", "edge-a", expectExit: 255);
        Assert.Contains("Host key verification failed.", provision.Stderr);
        Assert.DoesNotContain(_shell.TakeCalls(), c => c[0] == "ssh-keyscan"); // a pinned key is never replaced by what is offered
    }

    [Fact]
    public async Task DigitalOcean_ProvisionLikeHetzner_DestroyForgetsTheKey()
    {
        await HookAsync("digitalocean/create.sh", "edge-d", new() { ["DO_SSH_KEY"] = "12345" });
        _shell.Unreachable(Tunnel);
        await HookAsync("digitalocean/provision.sh", "edge-d");
        var provision = _shell.TakeCalls().Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.NotEmpty(provision);
        Assert.All(provision, StrictlyPinned("edge-d"));
        Assert.Equal([$"edge-d ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));

        _shell.Unreachable("203.0.113.7");
        await HookAsync("digitalocean/certificate.sh", "edge-d");
        Assert.All(_shell.TakeCalls(), c => Assert.Equal(Tunnel, Address(c)));

        await HookAsync("digitalocean/destroy.sh", "edge-d");
        Assert.Contains(_shell.TakeCalls(), c => c is ["doctl", "compute", "droplet", "delete", "edge-d", "--force"]);
        Assert.Empty(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public async Task Sidecar_HandsEveryEdgeHookItsTunnelAddressAndTheKnownHostsFile()
    {
        using var sidecar = FakeSidecar.Create(o =>
        {
            o.Nginx.CertificateDir = _scratch["cert"];
            o.Hooks.Certificate = $"echo \"$EDGE_NAME $EDGE_TUNNEL $EDGE_KNOWN_HOSTS\" >> '{_scratch["seen"]}'";
        });
        Assert.True(sidecar.Session.RenderAll().Ok);

        await new Commands.CertificateDistribution(sidecar.Session).PushAsync(CancellationToken.None);

        var knownHosts = Path.Combine(Path.GetFullPath(sidecar.Options.Data), SidecarSession.KnownHostsFile);
        var inventory = sidecar.Session.Inventory;
        Assert.Equal(
            new[] { "edge-1", "edge-2" }.Select(e => $"{e} {inventory.Find(e)!.Tunnel} {knownHosts}"),
            File.ReadAllLines(_scratch["seen"]));
        Assert.All(new[] { "edge-1", "edge-2" }, e => Assert.StartsWith("10.", inventory.Find(e)!.Tunnel));
    }

    /// <summary>
    /// A provider's hook set: its folder, the call that buys a VPS and the option in it naming where,
    /// the call that deletes one, the variable that overrides the country's choice, and what create
    /// needs besides.
    /// </summary>
    private sealed record Provider(string[] Buy, string Where, string[] Delete, string Override, Dictionary<string, string> Needs);

    private Provider Of(string folder) => folder switch
    {
        "hetzner" => new(["hcloud", "server", "create"], "--location", ["hcloud", "server", "delete"], "HCLOUD_LOCATION", new() { ["HCLOUD_SSH_KEY"] = "home" }),
        "digitalocean" => new(["doctl", "compute", "droplet", "create"], "--region", ["doctl", "compute", "droplet", "delete"], "DO_REGION", new() { ["DO_SSH_KEY"] = "12345" }),
        "vultr" => new(["vultr-cli", "instance", "create"], "--region", ["vultr-cli", "instance", "delete"], "VULTR_REGION",
            new() { ["VULTR_SSH_KEY"] = "3b8066a7-b438-455a-9688-44afc9a3597f" }),
        "oracle" => new(["oci", "compute", "instance", "launch"], "--region", ["oci", "compute", "instance", "terminate"], "OCI_REGION", new()
        {
            ["OCI_COMPARTMENT_ID"] = "ocid1.compartment.oc1..aaaaaaaafakecompartment",
            ["OCI_SUBNET_ID"] = "ocid1.subnet.oc1.eu-frankfurt-1.aaaaaaaafakesubnet",
            ["OCI_IMAGE_ID"] = "ocid1.image.oc1.eu-frankfurt-1.aaaaaaaafakeubuntu2404aarch64",
            ["OCI_SSH_PUBLIC_KEY"] = _scratch["home.pub"],
        }),
        _ => throw new ArgumentException(folder),
    };

    public static TheoryData<string> Folders => new(["hetzner", "digitalocean", "vultr", "oracle"]);

    private Task<Script.Result> CreateAsync(string folder, string edge, string? country, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = new Dictionary<string, string>(Of(folder).Needs);
        if (country is not null) environment["EDGE_COUNTRY"] = country;
        foreach (var (name, value) in more ?? []) environment[name] = value;
        return HookAsync($"{folder}/create.sh", edge, environment, expectExit);
    }

    private List<string[]> Buys(string folder, List<string[]> calls) => calls.Where(c => c.Take(Of(folder).Buy.Length).SequenceEqual(Of(folder).Buy)).ToList();

    /// <summary>The value after <paramref name="option"/> in a recorded call.</summary>
    private static string? Option(string[] call, string option) => call.SkipWhile(a => a != option).Skip(1).FirstOrDefault();

    /// <summary>The edge's JSON as the sidecar reads it: the last line of stdout that is JSON.</summary>
    private static System.Text.Json.JsonElement Edge(Script.Result created)
    {
        var last = created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        return System.Text.Json.JsonDocument.Parse(last).RootElement;
    }

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

        var buy = Assert.Single(Buys(folder, _shell.TakeCalls()));
        Assert.Equal(location, Option(buy, Of(folder).Where));
        Assert.Equal(country, Edge(created).GetProperty("country").GetString());
        Assert.True(_shell.Exists("edge-c"));
    }

    [Theory]
    [InlineData("hetzner", "nbg1", "DE")]
    [InlineData("digitalocean", "ams3", "NL")]
    [InlineData("vultr", "waw", "PL")]
    [InlineData("oracle", "eu-amsterdam-1", "NL")]
    public async Task Create_TheOverrideVariable_WinsOverTheCountry(string folder, string location, string country)
    {
        var created = await CreateAsync(folder, "edge-o", "IS", new() { [Of(folder).Override] = location });

        var buy = Assert.Single(Buys(folder, _shell.TakeCalls()));
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
        Assert.Empty(Buys(folder, _shell.TakeCalls()));
        Assert.False(_shell.Exists("edge-x"));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Create_RunAgain_FindsTheVpsItMade_AndPrintsTheSame(string folder)
    {
        var first = await CreateAsync(folder, "edge-r", "DE");
        var again = await CreateAsync(folder, "edge-r", "DE");

        Assert.Single(Buys(folder, _shell.TakeCalls()));
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
        Assert.Equal(_shell.Ipv4, edge.GetProperty("ipv4").GetString());
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
        var calls = _shell.TakeCalls();
        Assert.NotEmpty(calls); // the provider's fake was asked (and no real CLI)
        Assert.DoesNotContain(calls, c => c.Take(Of(folder).Delete.Length).SequenceEqual(Of(folder).Delete));
        Assert.Equal(["edge-b ssh-ed25519 AAAAotherEdge"], File.ReadAllLines(KnownHosts));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Destroy_DeletesTheVps_ButNotOneAtAnotherAddress(string folder)
    {
        await CreateAsync(folder, "edge-z", "DE");
        _shell.TakeCalls();

        var refused = await HookAsync($"{folder}/destroy.sh", "edge-z", new(Of(folder).Needs) { ["EDGE_IPV4"] = "198.51.100.9" }, expectExit: 1);
        Assert.Contains($"refusing: edge-z has {_shell.Ipv4}, not 198.51.100.9", refused.Stderr);
        Assert.True(_shell.Exists("edge-z"));

        await HookAsync($"{folder}/destroy.sh", "edge-z", new(Of(folder).Needs));
        Assert.Single(_shell.TakeCalls(), c => c.Take(Of(folder).Delete.Length).SequenceEqual(Of(folder).Delete));
        Assert.False(_shell.Exists("edge-z"));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Provision_PinsTheHostKey_ClosesPublicSsh_CertificateThroughTheTunnel(string folder)
    {
        await CreateAsync(folder, "edge-p", "DE");
        _shell.TakeCalls();
        _shell.Unreachable(Tunnel);

        await HookAsync($"{folder}/provision.sh", "edge-p");
        var provision = _shell.TakeCalls();
        Assert.Equal([["ssh-keyscan", "-T", "10", _shell.Ipv4]], provision.Where(c => c[0] == "ssh-keyscan"));
        Assert.Equal([$"edge-p ssh-ed25519 {_shell.HostKey}"], File.ReadAllLines(KnownHosts));
        var connections = provision.Where(c => c[0] is "ssh" or "scp").ToList();
        Assert.All(connections, StrictlyPinned("edge-p"));
        Assert.All(connections, c => Assert.Equal(_shell.Ipv4, Address(c)));
        var firewall = string.Join(' ', connections[^1]);
        Assert.Contains("flush ruleset", firewall);
        Assert.Contains("iifname \"wg0\" accept", firewall);
        Assert.DoesNotContain(provision, c => c[0] == Of(folder).Buy[0]); // provision buys nothing

        _shell.Unreachable(_shell.Ipv4);
        await HookAsync($"{folder}/certificate.sh", "edge-p");
        var certificate = _shell.TakeCalls();
        Assert.NotEmpty(certificate);
        Assert.All(certificate, StrictlyPinned("edge-p"));
        Assert.All(certificate, c => Assert.Equal(Tunnel, Address(c)));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Tighten_ThroughTheTunnel_EveryWordQuotedForTheEdgesShell(string folder)
    {
        File.WriteAllLines(KnownHosts, [$"edge-t ssh-ed25519 {_shell.HostKey}"]);
        var marker = _scratch["ran"];

        await HookAsync($"{folder}/tighten.sh", "edge-t", new()
        {
            ["ATTACK_KIND"] = "flood",
            ["ATTACK_BAN_SECONDS"] = "600",
            // Never from the sidecar, which hands on addresses only: were a word not quoted, the edge's shell would run it.
            ["ATTACK_SOURCES"] = $"198.51.100.66  2001:db8::7 $(touch {marker}) ;touch\\ {marker} *",
            ["ATTACK_COUNTRIES"] = "CN RU",
        });

        var call = Assert.Single(_shell.TakeCalls());
        StrictlyPinned("edge-t")(call);
        Assert.Equal(Tunnel, Address(call));
        // What the edge's shell makes of the one string ssh hands it: exactly these words, and nothing run.
        var words = await Script.RunAsync("/bin/bash", ["-c", "env() { printf '%s\\n' \"$@\"; }; " + call[^1]], TimeSpan.FromSeconds(10), workingDirectory: _scratch.Path);
        Assert.Equal(["TIGHTEN_COUNTRIES=CN RU", "/usr/local/sbin/geodns-edge-tighten", "/etc/nginx/nginx.conf", "on", "600",
            "198.51.100.66", "2001:db8::7", $"$(touch", $"{marker})", ";touch\\", $"{marker}", "*"], words.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Oracle_LaunchesTheFreeTierShape_WithRootLetIn_AndTerminatesWithItsBootVolume()
    {
        await CreateAsync("oracle", "edge-f", "DE");
        var launch = Assert.Single(Buys("oracle", _shell.TakeCalls()));
        Assert.Equal("VM.Standard.A1.Flex", Option(launch, "--shape"));
        Assert.Equal("{\"ocpus\": 1, \"memoryInGBs\": 6}", Option(launch, "--shape-config"));
        Assert.Equal("Uocm:EU-FRANKFURT-1-AD-1", Option(launch, "--availability-domain"));
        Assert.Equal("true", Option(launch, "--assign-public-ip"));
        Assert.Equal(_scratch["home.pub"], Option(launch, "--ssh-authorized-keys-file"));

        // The instance the fake keeps holds what cloud-init got: root takes the same key as ubuntu.
        var state = Directory.GetFiles(Path.Combine(_shell.Directory, "vps"), "*.oci.json").Single();
        var userData = System.Text.Json.JsonDocument.Parse(File.ReadAllText(state)).RootElement
            .GetProperty("instance").GetProperty("metadata").GetProperty("user_data").GetString()!;
        Assert.Equal("#cloud-config\ndisable_root: false\n", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(userData)));

        await HookAsync("oracle/destroy.sh", "edge-f", new(Of("oracle").Needs));
        var terminate = Assert.Single(_shell.TakeCalls(), c => c is ["oci", "compute", "instance", "terminate", ..]);
        Assert.Equal("false", Option(terminate, "--preserve-boot-volume"));
        // Terminated instances stay listed a while: create again buys a new one rather than finding that.
        await CreateAsync("oracle", "edge-f", "DE");
        Assert.Single(Buys("oracle", _shell.TakeCalls()));
    }

    [Fact]
    public async Task TheFakes_StandFirstOnPath_ForEveryProgramTheHooksCall()
    {
        var programs = new[] { "ssh", "scp", "ssh-keyscan", "sleep" }.Concat(FakeEdgeShell.Providers).ToList();
        var found = await Script.RunAsync("/bin/bash", ["-c", "command -v \"$@\"", "bash", .. programs], TimeSpan.FromSeconds(10),
            environment: _shell.Environment([]));

        Assert.Equal(programs.Select(p => Path.Combine(_shell.Bin, p)), found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<Script.Result> HookAsync(string hook, string edge, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = more ?? [];
        environment["EDGE_NAME"] = edge;
        environment.TryAdd("EDGE_IPV4", _shell.Ipv4);
        environment["EDGE_TUNNEL"] = Tunnel;
        environment["EDGE_KNOWN_HOSTS"] = KnownHosts;
        environment["EDGE_WG_CONF"] = _scratch["wg0.conf"];
        environment["EDGE_NGINX_CONF"] = _scratch["nginx.conf"];
        environment["EDGE_CERT_DIR"] = _scratch["cert"];
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/{hook}"), [], TimeSpan.FromSeconds(60), environment: _shell.Environment(environment));
        Assert.True(result.ExitCode == expectExit, $"{hook}: {result.Describe()}");
        return result;
    }

    /// <summary>The address a recorded ssh or scp call connected to.</summary>
    internal static string Address(string[] call)
    {
        var positional = new List<string>();
        for (var i = 1; i < call.Length; i++)
        {
            if (call[i] == "-o") i++;
            else if (!call[i].StartsWith('-')) positional.Add(call[i]);
        }
        var target = call[0] == "scp" ? positional[^1] : positional[0];
        var host = target[(target.IndexOf('@') + 1)..];
        return host.Split(':')[0];
    }

    private Action<string[]> StrictlyPinned(string edge) => StrictlyPinned(KnownHosts, edge);

    /// <summary>The call checks the host key strictly, against the sidecar's file, under the edge's name.</summary>
    internal static Action<string[]> StrictlyPinned(string knownHosts, string edge) => call =>
    {
        var options = call.Skip(1).Zip(call.Skip(2)).Where(p => p.First == "-o").Select(p => p.Second).ToList();
        Assert.Contains("StrictHostKeyChecking=yes", options);
        Assert.Contains($"UserKnownHostsFile={knownHosts}", options);
        Assert.Contains($"HostKeyAlias={edge}", options);
        Assert.DoesNotContain(options, o => o.Contains("accept-new", StringComparison.Ordinal) || o == "StrictHostKeyChecking=no");
    };

    public void Dispose() => _scratch.Dispose();
}
