namespace GeoDns.Sidecar.Tests.Delegation;

/// <summary>
/// The delegate hooks (deploy/hooks/rfc2136, deploy/hooks/cloudflare) make the parent serve exactly the
/// fleet's NS records and glue: run against a real Knot parent over RFC 2136 with TSIG, and against a fake
/// of Cloudflare's API (a paid cloud). Each run converges: a second run with the same input changes nothing,
/// a moved nameserver's glue follows, a nameserver left out leaves the delegation.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the hooks are bash
public sealed class DelegateHookTests : IDisposable
{
    private const string Secret = "2Ln8Ywx9r1Ua0ZpVJg2a1oJXl6mZrBz6c2n7lq3m1wQ=";
    private const string Fleet = "ns1.edge.example.com 198.51.100.1 2001:db8::1\nns2.edge.example.com 203.0.113.1 -";
    private readonly Scratch _scratch = new();

    private const string ParentZone = """
        $ORIGIN example.com.
        $TTL 300
        @    IN SOA ns.example.com. hostmaster 1 3600 600 1209600 60
             IN NS  ns
        ns   IN A   127.0.0.1
        www  IN A   192.0.2.10
        """;

    [SkippableFact]
    public async Task Rfc2136_KnotParent_ServesTheReferralWithGlue_AndFollowsAMovedNameserver()
    {
        Skip.If(Executables.Find("knotd") is null || Executables.Find("nsupdate") is null || Executables.Find("dig") is null, "needs knotd, nsupdate and dig (apt-get install knot bind9-dnsutils)");
        File.WriteAllText(_scratch["parent.key"], $"key \"parent\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");
        using var parent = new KnotParent(_scratch["knot"], "example.com", ParentZone, "parent", Secret);
        await parent.ReadyAsync();

        var first = await Rfc2136Async(parent, Fleet);
        Assert.True(first.ExitCode == 0, first.Describe());
        var referral = await parent.AskAsync("www.edge.example.com", "A");
        Assert.Contains("status: NOERROR", referral);
        Assert.Matches(@"edge\.example\.com\.\s+3600\s+IN\s+NS\s+ns1\.edge\.example\.com\.", referral);
        Assert.Matches(@"edge\.example\.com\.\s+3600\s+IN\s+NS\s+ns2\.edge\.example\.com\.", referral);
        Assert.Matches(@"ns1\.edge\.example\.com\.\s+3600\s+IN\s+A\s+198\.51\.100\.1", referral);
        Assert.Matches(@"ns1\.edge\.example\.com\.\s+3600\s+IN\s+AAAA\s+2001:db8::1", referral);
        Assert.Matches(@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+203\.0\.113\.1", referral);

        // ns2 moved, ns1 left the fleet: the delegation says so, nothing of the old one stays.
        var moved = await Rfc2136Async(parent, "ns2.edge.example.com 203.0.113.9 -\nns3.edge.example.com 192.0.2.53 -");
        Assert.True(moved.ExitCode == 0, moved.Describe());
        referral = await parent.AskAsync("www.edge.example.com", "A");
        Assert.DoesNotContain("203.0.113.1", referral);
        Assert.DoesNotMatch(@"IN\s+NS\s+ns1\.", referral);
        Assert.Matches(@"ns2\.edge\.example\.com\.\s+3600\s+IN\s+A\s+203\.0\.113\.9", referral);
        Assert.Matches(@"ns3\.edge\.example\.com\.\s+3600\s+IN\s+A\s+192\.0\.2\.53", referral);
    }

    [SkippableFact]
    public async Task Rfc2136_WrongKey_FailsNamingTheParent_AndChangesNothing()
    {
        Skip.If(Executables.Find("knotd") is null || Executables.Find("nsupdate") is null || Executables.Find("dig") is null, "needs knotd, nsupdate and dig (apt-get install knot bind9-dnsutils)");
        File.WriteAllText(_scratch["parent.key"], $"key \"parent\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Convert.ToBase64String(new byte[32])}\";\n}};\n");
        using var parent = new KnotParent(_scratch["knot"], "example.com", ParentZone, "parent", Secret);
        await parent.ReadyAsync();

        var refused = await Rfc2136Async(parent, Fleet);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"the parent 127.0.0.1:{parent.Port} refused or did not answer the update of edge.example.com", refused.Stderr);
        Assert.DoesNotContain("ns1.edge.example.com", await parent.AskAsync("www.edge.example.com", "A"));
    }

    [Fact]
    public async Task Cloudflare_MakesExactlyTheFleetsRecords_GlueNeverProxied_ASecondRunChangesNothing()
    {
        using var cloudflare = new FakeCloudflare("example.com", "token-1");
        // What a user's parent zone may hold already: an unrelated record, a stale NS and a proxied glue with the wrong address.
        cloudflare.Add("A", "www.example.com", "192.0.2.10", proxied: true);
        cloudflare.Add("NS", "edge.example.com", "old-ns.example.net", ttl: 300);
        cloudflare.Add("A", "ns1.edge.example.com", "192.0.2.99", proxied: true);

        var first = await CloudflareAsync(cloudflare, "token-1", Fleet);

        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Equal(
        [
            "A ns1.edge.example.com 198.51.100.1 ttl=3600 proxied=false",
            "A ns2.edge.example.com 203.0.113.1 ttl=3600 proxied=false",
            "A www.example.com 192.0.2.10 ttl=1 proxied=true",
            "AAAA ns1.edge.example.com 2001:db8::1 ttl=3600 proxied=false",
            "NS edge.example.com ns1.edge.example.com ttl=3600 proxied=false",
            "NS edge.example.com ns2.edge.example.com ttl=3600 proxied=false",
        ], cloudflare.Records());
        var calls = cloudflare.TakeCalls();
        // Glue before the NS records that lead to it: a resolver never meets a delegation without an address.
        Assert.True(calls.ToList().FindLastIndex(c => c.Contains("type=A&", StringComparison.Ordinal)) < calls.ToList().FindIndex(c => c.Contains("type=NS&", StringComparison.Ordinal)));

        var again = await CloudflareAsync(cloudflare, "token-1", Fleet);

        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.All(cloudflare.TakeCalls(), c => Assert.StartsWith("GET ", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cloudflare_RefusedToken_FailsWithCloudflaresReason()
    {
        using var cloudflare = new FakeCloudflare("example.com", "token-1");

        var refused = await CloudflareAsync(cloudflare, "wrong", Fleet);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Invalid API Token", refused.Stderr);
        Assert.Empty(cloudflare.Records());
    }

    private Task<Script.Result> Rfc2136Async(KnotParent parent, string nameservers) =>
        Script.RunAsync("bash", [Repository.File("deploy/hooks/rfc2136/delegate.sh")], TimeSpan.FromSeconds(30), environment: Delegation(nameservers, new()
        {
            ["RFC2136_SERVER"] = $"127.0.0.1:{parent.Port}",
            ["RFC2136_KEY_FILE"] = _scratch["parent.key"],
        }));

    private static Task<Script.Result> CloudflareAsync(FakeCloudflare cloudflare, string token, string nameservers) =>
        Script.RunAsync("bash", [Repository.File("deploy/hooks/cloudflare/delegate.sh")], TimeSpan.FromSeconds(30), environment: Delegation(nameservers, new()
        {
            ["CLOUDFLARE_API"] = cloudflare.Api,
            ["CLOUDFLARE_API_TOKEN"] = token,
        }));

    private static Dictionary<string, string> Delegation(string nameservers, Dictionary<string, string> more)
    {
        more["DELEGATE_ZONE"] = "edge.example.com";
        more["DELEGATE_PARENT"] = "example.com";
        more["DELEGATE_NAMESERVERS"] = nameservers;
        return more;
    }

    public void Dispose() => _scratch.Dispose();
}
