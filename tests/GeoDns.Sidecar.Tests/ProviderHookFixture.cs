namespace GeoDns.Sidecar.Tests;

/// <summary>
/// What the provider hook tests share: the provider hooks (deploy/hooks/hetzner, digitalocean, vultr,
/// oracle) run against fake provider CLIs that answer as the real ones do (FakeEdgeShell,
/// ProviderFakes/) and a fake ssh that checks host keys as OpenSSH does, with the files a hook reads
/// (wg0.conf, nginx.conf, the certificate, the home's public key) and the sidecar's known_hosts; each
/// provider's hook set described, and helpers that run a hook and read what it did.
/// </summary>
/// <remarks>
/// Every test gets its own scratch directory, and the fakes keep their state, calls and HOME in it,
/// so the test classes deriving from this run in parallel without sharing a file; the static members
/// hold nothing that changes.
/// </remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash, the known_hosts mode a Unix one
public abstract class ProviderHookFixture : IDisposable
{
    protected const string Tunnel = "10.77.0.5";

    protected ProviderHookFixture()
    {
        Shell = new FakeEdgeShell(Scratch);
        Directory.CreateDirectory(Scratch["data"]);
        Directory.CreateDirectory(Scratch["cert"]);
        File.WriteAllText(Scratch["wg0.conf"], "[Interface]\n");
        File.WriteAllText(Scratch["nginx.conf"], "  ssl_certificate /etc/letsencrypt/live/app.example.com/fullchain.pem;\n");
        File.WriteAllText(Scratch["cert/fullchain.pem"], "chain");
        File.WriteAllText(Scratch["cert/privkey.pem"], "key");
        File.WriteAllText(Scratch["home.pub"], "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomeKey home\n");
    }

    protected Scratch Scratch { get; } = new();
    protected FakeEdgeShell Shell { get; }

    protected string KnownHosts => Scratch["data/known_hosts"];

    /// <summary>
    /// A provider's hook set: its folder, the call that buys a VPS and the option in it naming where,
    /// the call that deletes one, the variable that overrides the country's choice, and what create
    /// needs besides.
    /// </summary>
    protected sealed record Provider(string[] Buy, string Where, string[] Delete, string Override, Dictionary<string, string> Needs);

    protected Provider Of(string folder) => folder switch
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
            ["OCI_SSH_PUBLIC_KEY"] = Scratch["home.pub"],
        }),
        _ => throw new ArgumentException(folder),
    };

    public static TheoryData<string> Folders => new(["hetzner", "digitalocean", "vultr", "oracle"]);

    protected Task<Script.Result> CreateAsync(string folder, string edge, string? country, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = new Dictionary<string, string>(Of(folder).Needs);
        if (country is not null) environment["EDGE_COUNTRY"] = country;
        foreach (var (name, value) in more ?? []) environment[name] = value;
        return HookAsync($"{folder}/create.sh", edge, environment, expectExit);
    }

    protected List<string[]> Buys(string folder, List<string[]> calls) => calls.Where(c => c.Take(Of(folder).Buy.Length).SequenceEqual(Of(folder).Buy)).ToList();

    /// <summary>The value after <paramref name="option"/> in a recorded call.</summary>
    protected static string? Option(string[] call, string option) => call.SkipWhile(a => a != option).Skip(1).FirstOrDefault();

    /// <summary>The edge's JSON as the sidecar reads it: the last line of stdout that is JSON.</summary>
    protected static System.Text.Json.JsonElement Edge(Script.Result created)
    {
        var last = created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        return System.Text.Json.JsonDocument.Parse(last).RootElement;
    }

    protected async Task<Script.Result> HookAsync(string hook, string edge, Dictionary<string, string>? more = null, int expectExit = 0)
    {
        var environment = more ?? [];
        environment["EDGE_NAME"] = edge;
        environment.TryAdd("EDGE_IPV4", Shell.Ipv4);
        environment["EDGE_TUNNEL"] = Tunnel;
        environment["EDGE_KNOWN_HOSTS"] = KnownHosts;
        environment["EDGE_WG_CONF"] = Scratch["wg0.conf"];
        environment["EDGE_NGINX_CONF"] = Scratch["nginx.conf"];
        environment["EDGE_CERT_DIR"] = Scratch["cert"];
        var result = await Script.RunAsync(Repository.File($"deploy/hooks/{hook}"), [], TimeSpan.FromSeconds(60), environment: Shell.Environment(environment));
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

    protected Action<string[]> StrictlyPinned(string edge) => StrictlyPinned(KnownHosts, edge);

    /// <summary>The call checks the host key strictly, against the sidecar's file, under the edge's name.</summary>
    internal static Action<string[]> StrictlyPinned(string knownHosts, string edge) => call =>
    {
        var options = call.Skip(1).Zip(call.Skip(2)).Where(p => p.First == "-o").Select(p => p.Second).ToList();
        Assert.Contains("StrictHostKeyChecking=yes", options);
        Assert.Contains($"UserKnownHostsFile={knownHosts}", options);
        Assert.Contains($"HostKeyAlias={edge}", options);
        Assert.DoesNotContain(options, o => o.Contains("accept-new", StringComparison.Ordinal) || o == "StrictHostKeyChecking=no");
    };

    public void Dispose() => Scratch.Dispose();
}
