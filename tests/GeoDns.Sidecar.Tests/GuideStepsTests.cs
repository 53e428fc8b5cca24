using System.Text.RegularExpressions;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// The guides' commands as a new user runs them on a fresh Debian: every step must work as written
/// and the guides (docs/deployment.md, the short path, and docs/manual-install.md, by hand) must not
/// contradict the units they install.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // nft and unshare: Linux only
public sealed partial class GuideStepsTests
{
    private static readonly string Guide = File.ReadAllText(Repository.File("docs/deployment.md"));

    private static readonly string Manual = File.ReadAllText(Repository.File("docs/manual-install.md"));

    /// <summary>Every line inside both guides' fenced blocks, without its indentation.</summary>
    private static readonly string[] CodeLines = new[] { Guide, Manual }.SelectMany(page => FencedBlock().Matches(page)).SelectMany(m => m.Groups["body"].Value.Split('\n')).Select(l => l.Trim()).ToArray();

    [Fact]
    public void InstallIntoDirectoriesNotYetThere_UsesDashD()
    {
        // certbot makes /etc/letsencrypt/renewal-hooks/deploy on its first run, which comes after the hook's install.
        var installs = CodeLines.Where(l => l.StartsWith("install ", StringComparison.Ordinal) && l.Contains("/etc/letsencrypt/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(installs);
        Assert.All(installs, l => Assert.Matches(@"^install -D\b", l));
    }

    [Fact]
    public void ServerUnit_PassesNoOptionTheGuidesConfigSets()
    {
        var unit = File.ReadAllText(Repository.File("deploy/systemd/geodns.service"));
        var execStart = unit.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var config = FencedBlock().Matches(Manual).Select(m => m.Groups["body"].Value).Single(b => b.Contains("\"listen\": [\"0.0.0.0:53\"", StringComparison.Ordinal));

        // A command-line option overrides the config's key of that name: one of the two would be silently ignored.
        var options = Regex.Matches(execStart, @"--(\w+)").Select(m => m.Groups[1].Value).ToList();
        Assert.DoesNotContain("listen", options);
        Assert.All(options.Where(o => o != "config"), o => Assert.DoesNotContain($"\"{o}\":", config));
        Assert.Contains("\"listen\": [\"0.0.0.0:53\", \"[::]:53\"]", config);
    }

    [Fact]
    public void Guide_SaysWhatDiffersBetweenNameservers_AndWhereSshTunnelsRun()
    {
        Assert.DoesNotContain("the same zone files and the same config. ", Guide + Manual);
        Assert.Contains("the same config but for one line: the admin", Manual);
        Assert.DoesNotContain("From the nameserver itself", Guide + Manual);
        Assert.Contains("From your workstation:\n  `ssh -L 8053:10.77.0.2:8053 root@198.51.100.1`", Manual);
    }

    [Fact]
    public void AptLines_InstallEveryToolTheHooksAndGuideUse()
    {
        var apt = string.Join('\n', CodeLines.Where(l => Regex.IsMatch(l, @"\bapt(-get)? install\b")));

        // Debian packages hcloud as hcloud-cli; the Hetzner hooks parse its JSON with jq.
        Assert.Contains("hcloud-cli", apt);
        Assert.Contains("jq", apt);
        Assert.Contains("wireguard-tools", apt);
        Assert.Contains("npm", apt); // fetch-geodb.sh on the nameservers
        Assert.Contains("nftables", apt);
    }

    [Fact]
    public void DirectoryCopies_DoNotNestOnASecondRun()
    {
        var copies = CodeLines.Where(l => Regex.IsMatch(l, @"^cp -\w*r")).ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies, l => Assert.Matches(@"^cp -\w*T\w* ", l));
    }

    [Fact]
    public void GeoDatabaseTimer_RunsTheRepositorysFetchScript_WhereTheServerReadsIt()
    {
        var service = File.ReadAllText(Repository.File("deploy/systemd/geodns-geodb.service"));
        var timer = File.ReadAllText(Repository.File("deploy/systemd/geodns-geodb.timer"));
        var execStart = Regex.Match(service, @"^ExecStart=(\S+) (\S+)$", RegexOptions.Multiline);

        Assert.True(execStart.Success, "geodns-geodb.service has no ExecStart=SCRIPT TARGET");
        Assert.Equal("/opt/geodns/fetch-geodb.sh", execStart.Groups[1].Value);
        Assert.True(File.Exists(Repository.File("deploy/fetch-geodb.sh")));
        Assert.Contains("scp deploy/fetch-geodb.sh root@198.51.100.1:/opt/geodns/", Manual);
        // The file the server finds by default in its data directory, which the guide seeds.
        Assert.Equal("/var/lib/geodns/geo-whois-asn-country.mmdb", execStart.Groups[2].Value);
        Assert.Contains("scp out/geo-whois-asn-country.mmdb root@198.51.100.1:/var/lib/geodns/", Manual);
        Assert.Contains("User=geodns", service);
        Assert.Contains("ReadWritePaths=/var/lib/geodns", service);
        Assert.Contains("OnCalendar=daily", timer);
        Assert.Contains("WantedBy=timers.target", timer);
        Assert.Contains("scp deploy/systemd/geodns-geodb.service deploy/systemd/geodns-geodb.timer root@198.51.100.1:/etc/systemd/system/", Manual);
        Assert.Contains("systemctl enable --now geodns-geodb.timer", Manual);
        // The short path turns on the timer the package ships, and runs it once: bootstrap installs no database.
        Assert.Contains("systemctl enable --now geodns-geodb.timer && systemctl start geodns-geodb.service", Guide);
    }

    [Fact]
    public void EverySecretTheGuideMakes_IsTheServiceUsers_AndNeverWorldReadable()
    {
        // Files the guide fills from a random source, and every key or token file it names.
        var secrets = CodeLines.SelectMany(l => SecretFile().Matches(l).Select(m => Path.GetFileName(m.Value))).Distinct().ToList();
        Assert.Superset(new HashSet<string> { "admin.token", "sidecar.token", "cookie-secret", "xfr.key", "acme.key" }, secrets.ToHashSet());

        foreach (var secret in secrets)
        {
            var lines = CodeLines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(lines.Any(l => ServiceUser().IsMatch(l)), $"the guide makes {secret} but never gives it to the service user (geodns or geodns-sidecar): {string.Join(" | ", lines)}");
            Assert.All(lines, l => Assert.DoesNotMatch(@"(chmod|-m) 0?6[4-7][4-7]\b|(chmod|-m) 0?7[4-7][4-7]\b|a\+r", l));
        }
    }

    [Fact]
    public void FirewallSection_GivesNftRulesets_ForNameserversAndEdges()
    {
        var rulesets = Rulesets();

        Assert.Equal(2, rulesets.Count);
        var (nameserver, edge) = (rulesets[0], rulesets[1]);
        Assert.Contains("policy drop;", nameserver);
        Assert.Contains("tcp dport 22 accept", nameserver);
        Assert.Contains("meta l4proto { udp, tcp } th dport 53 accept", nameserver);
        Assert.Contains("udp dport 51820 accept", nameserver);
        Assert.Contains("iifname \"wg0\" tcp dport 8053 accept", nameserver);
        Assert.DoesNotContain("dport 8053 accept\n", nameserver.Replace("iifname \"wg0\" tcp dport 8053 accept\n", "", StringComparison.Ordinal));
        Assert.Contains("policy drop;", edge);
        Assert.Contains("tcp dport { 80, 443 } accept", edge); // ssh only through the tunnel
        Assert.DoesNotContain("dport 22", edge);
        Assert.Contains("udp dport 51820 accept", edge);
        Assert.DoesNotContain("dport 53", edge);
    }

    [SkippableFact]
    public void FirewallRulesets_LoadIntoNft()
    {
        Skip.If(Environment.UserName != "root" || Executables.Find("nft") is null || Executables.Find("unshare") is null, "needs root, nft and unshare (CI has them)");
        using var scratch = new Scratch();
        foreach (var (ruleset, i) in Rulesets().Select((r, i) => (r, i)))
        {
            var file = scratch[$"ruleset-{i}.nft"];
            File.WriteAllText(file, ruleset);
            // In a fresh network namespace: loaded for real, and gone with it.
            var (exit, stdout, stderr) = Tools.Run("unshare", "--net", "nft", "-f", file);
            Assert.True(exit == 0, $"nft refused the guide's ruleset {i}: {stdout}{stderr}\n{ruleset}");
        }
    }

    /// <summary>The rulesets the manual install's firewall section writes to /etc/nftables.conf, in order.</summary>
    private static List<string> Rulesets()
    {
        var section = Manual[Manual.IndexOf("## 6. Firewall", StringComparison.Ordinal)..Manual.IndexOf("## 7.", StringComparison.Ordinal)];
        return Regex.Matches(section, @"<<'NFT'\n(?<body>.*?)^NFT$", RegexOptions.Multiline | RegexOptions.Singleline).Select(m => m.Groups["body"].Value).ToList();
    }

    [GeneratedRegex(@"(?<![\w.-])[\w/.-]*(\.key|\.token|-secret)\b")]
    private static partial Regex SecretFile();

    [GeneratedRegex(@"(-o|-g) geodns(-sidecar)?\b|(chgrp|chown) (root:)?geodns(-sidecar)?\b|chown geodns:geodns\b")]
    private static partial Regex ServiceUser();

    [GeneratedRegex(@"^[ ]*```[a-z]*\n(?<body>.*?)^[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
