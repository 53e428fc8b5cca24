using System.Net.Http.Json;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>Dynamic update (RFC 2136) as nsupdate does it: TSIG-signed, within the key's policy, served at once, kept.</summary>
public sealed class UpdateTests
{
    private static async Task<ExternalTool.Result> NsUpdate(ExchangeServer x, string? key, string commands)
    {
        string[] arguments = key is null ? ["-t", "5"] : ["-t", "5", "-k", key];
        return (await ExternalTool.RunAsync("nsupdate", arguments, $"server 127.0.0.1 {x.Port}\nzone example.com\n{commands}\nsend\n"))!;
    }

    private static string[] Txt(ExchangeServer x, string name) =>
        x.Server.Ask(name, DnsType.TXT).AnswerRecords.OfType<TxtRecord>().Select(r => r.TextData).ToArray();

    [SkippableFact]
    public async Task NsUpdate_AddsAndDeletesAcmeTxt_ServedAtOnceKeptAcrossRestartAndReload()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync();
        var before = x.ServedSerial;

        var added = await NsUpdate(x, x.AcmeKey, "update add _acme-challenge.www.example.com. 60 TXT \"token-1\"");
        Assert.True(added.ExitCode == 0, added.All);
        Assert.Equal(["token-1"], Txt(x, "_acme-challenge.www.example.com"));
        Assert.True(GeoDns.Transfer.Serial.Newer(x.ServedSerial, before));
        var soa = x.Server.Ask("example.com", DnsType.SOA).AnswerRecords.OfType<SoaRecord>().Single();
        Assert.Equal(x.ServedSerial, soa.SerialNumber);

        // Listed in /v1/zones beside the zone file's records.
        var zones = await x.Server.Http.GetFromJsonAsync<JsonElement>("/v1/zones");
        var zone = zones.GetProperty("zones")[0];
        Assert.Equal(x.ServedSerial, zone.GetProperty("servedSerial").GetUInt32());
        Assert.Equal("_acme-challenge.www.example.com. 60 IN TXT \"token-1\"", zone.GetProperty("dynamic")[0].GetString());

        // A zone file reload keeps it; so does a restart (journaled in the data directory).
        await File.AppendAllTextAsync(Path.Combine(x.Server.ZoneDirectory, "example.com.zone"), "mail IN A 127.0.0.25\n");
        x.Server.Service.Operations!.ReloadZones("test");
        await x.Server.Service.Observations.AnsweredAsync(); // composed in the publisher's static lane, like the answers
        Assert.Equal(["token-1"], Txt(x, "_acme-challenge.www.example.com"));
        var servedBeforeRestart = x.ServedSerial;
        await x.RestartAsync();
        Assert.Equal(["token-1"], Txt(x, "_acme-challenge.www.example.com"));
        Assert.Equal(servedBeforeRestart, x.ServedSerial); // same content, same serial: never backwards

        var deleted = await NsUpdate(x, x.AcmeKey, "update delete _acme-challenge.www.example.com. TXT \"token-1\"");
        Assert.True(deleted.ExitCode == 0, deleted.All);
        Assert.Empty(Txt(x, "_acme-challenge.www.example.com"));
        Assert.True(GeoDns.Transfer.Serial.Newer(x.ServedSerial, servedBeforeRestart));
    }

    [SkippableFact]
    public async Task NsUpdate_OutsidePolicyUnsignedOrWrongKey_RefusedAndNothingChanges()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync();
        var serial = x.ServedSerial;

        var outside = await NsUpdate(x, x.AcmeKey, "update add www.example.com. 60 A 127.0.0.99");
        var wrongType = await NsUpdate(x, x.AcmeKey, "update add _acme-challenge.example.com. 60 CNAME www.example.com.");
        var unsigned = await NsUpdate(x, null, "update add _acme-challenge.example.com. 60 TXT \"x\"");
        var otherKey = await NsUpdate(x, x.XfrKey, "update add _acme-challenge.example.com. 60 TXT \"x\"");
        var wrongSecret = Path.Combine(x.Directory, "wrong.key");
        TsigKeyText.Write(wrongSecret, "acme", "hmac-sha512");
        var forged = await NsUpdate(x, wrongSecret, "update add _acme-challenge.example.com. 60 TXT \"x\"");

        Assert.Contains("REFUSED", outside.All);
        Assert.Contains("REFUSED", wrongType.All);
        Assert.Contains("REFUSED", unsigned.All);
        Assert.Contains("REFUSED", otherKey.All);
        Assert.Contains("BADSIG", forged.All);
        Assert.Equal(["127.0.0.10"], x.Server.Ask("www.example.com", DnsType.A).AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()));
        Assert.Empty(Txt(x, "_acme-challenge.example.com"));
        Assert.Equal(serial, x.ServedSerial);
    }

    [SkippableFact]
    public async Task NsUpdate_Prerequisites_CheckedBeforeAnyChange()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync();

        // RFC 2136 §2.4.3: "this RRset must not exist" fails on the second try; the whole message is dropped.
        var first = await NsUpdate(x, x.AcmeKey, "prereq nxrrset _acme-challenge.example.com. TXT\nupdate add _acme-challenge.example.com. 60 TXT \"a\"");
        var second = await NsUpdate(x, x.AcmeKey, "prereq nxrrset _acme-challenge.example.com. TXT\nupdate add _acme-challenge.example.com. 60 TXT \"b\"");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("YXRRSET", second.All);
        Assert.Equal(["a"], Txt(x, "_acme-challenge.example.com"));
    }

    [SkippableFact]
    public async Task NsUpdate_NsAtApexOrCnameAtPool_Refused_WhateverThePolicySays()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        var pools = $$"""
            , "pools": [{ "name": "app.example.com", "probe": { "port": {{FreePort.Pick()}}, "interval": "1s", "timeout": "500ms" },
                          "edges": [{ "name": "edge-a", "ipv4": "127.0.0.1" }] }]
            """;
        await using var x = await ExchangeServer.StartAsync(extraConfig: pools,
            updates: """[{ "key": "acme", "zone": "example.com", "names": ["@", "app", "*.dyn"], "types": ["NS", "CNAME"] }]""");
        var serial = x.ServedSerial;

        var apex = await NsUpdate(x, x.AcmeKey, "update add example.com. 60 NS ns9.example.net.");
        var pool = await NsUpdate(x, x.AcmeKey, "update add app.example.com. 60 CNAME elsewhere.example.net.");

        Assert.Contains("REFUSED", apex.All);
        Assert.Contains("REFUSED", pool.All);
        Assert.Equal(serial, x.ServedSerial);
        Assert.Equal(["ns1.example.com."], x.Server.Ask("example.com", DnsType.NS).AnswerRecords.OfType<NsRecord>().Select(r => r.NameServer.ToString()));
        // Below no pool, the same policy still lets a CNAME through.
        var elsewhere = await NsUpdate(x, x.AcmeKey, "update add a.dyn.example.com. 60 CNAME elsewhere.example.net.");
        Assert.True(elsewhere.ExitCode == 0, elsewhere.All);
    }

    [SkippableFact]
    public async Task NsUpdate_EscapedDotIsOneLabel_NotBelowTheWildcard()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync(updates: """[{ "key": "acme", "zone": "example.com", "names": ["*.dyn"] }]""");

        var oneLabel = await NsUpdate(x, x.AcmeKey, "update add x\\.dyn.example.com. 60 TXT \"x\"");
        var below = await NsUpdate(x, x.AcmeKey, "update add x.dyn.example.com. 60 TXT \"x\"");

        Assert.Contains("REFUSED", oneLabel.All);
        Assert.True(below.ExitCode == 0, below.All);
        Assert.Equal(["x.dyn.example.com."], x.Server.Service.Observations.DynamicRecords(DnsName.Parse("example.com"))!.Select(r => r.Owner.ToString()));
    }

    [SkippableFact]
    public async Task NsUpdate_PastMaxDynamicRecords_Refused_TheRecordsBeforeKept()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync(extraExchange: """, "maxDynamicRecords": 2""");

        var two = await NsUpdate(x, x.AcmeKey, "update add _acme-challenge.example.com. 60 TXT \"1\"\nupdate add _acme-challenge.example.com. 60 TXT \"2\"");
        var third = await NsUpdate(x, x.AcmeKey, "update add _acme-challenge.example.com. 60 TXT \"3\"");

        Assert.True(two.ExitCode == 0, two.All);
        Assert.Contains("REFUSED", third.All);
        Assert.Equal(["1", "2"], Txt(x, "_acme-challenge.example.com").Order());
        // The operator learns from the log which zone, client and key hit which cap, with the cap's value.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(x.Server.Log, @"Warning \S+: UPDATE of example\.com\. from 127\.0\.0\.1 \(key acme\.?\) refused: rcode 5: " +
            @"the zone would hold 3 dynamic records, above exchange\.maxDynamicRecords \(2\)"), x.Server.Log);
    }

    private const string OtherZone = """
        $ORIGIN example.org.
        $TTL 300
        @    IN SOA ns1 hostmaster 1 3600 600 1209600 60
             IN NS  ns1
        ns1  IN A   127.0.0.1

        """;

    [Fact]
    public async Task PolicyWithoutZone_TwoZonesServed_NotStarted_KeyNamed()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ExchangeServer.StartAsync(prepare: directory =>
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "zones")).FullName, "example.org.zone"), OtherZone);
            return null;
        }));
        Assert.Contains("exchange.updates[0].zone: required when more than one zone is served", failure.Message);
    }

    [SkippableFact]
    public async Task PolicyWithoutZone_SecondZoneAdded_ReloadRefusedKeyNamed_LastGoodKept()
    {
        Skip.IfNot(ExternalTool.Exists("nsupdate"), "nsupdate not installed (apt-get install bind9-dnsutils)");
        await using var x = await ExchangeServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(x.Server.ZoneDirectory, "example.org.zone"), OtherZone);
        x.Server.Service.Operations!.ReloadZones("test");

        x.Server.Service.Operations!.ReloadConfig();

        Assert.Contains(x.Server.Service.Observations.ExchangeErrors, e => e.StartsWith("exchange.updates[0].zone: required", StringComparison.Ordinal));
        // The last good policy (bound to the one zone there was) still serves ACME in example.com, and only there.
        var added = await NsUpdate(x, x.AcmeKey, "update add _acme-challenge.example.com. 60 TXT \"kept\"");
        Assert.True(added.ExitCode == 0, added.All);
        var org = await ExternalTool.RunAsync("nsupdate", ["-t", "5", "-k", x.AcmeKey], $"server 127.0.0.1 {x.Port}\nzone example.org\nupdate add _acme-challenge.example.org. 60 TXT \"x\"\nsend\n");
        Assert.Contains("REFUSED", org!.All);

        // "*" says every zone, on purpose: accepted.
        await File.WriteAllTextAsync(x.Server.ConfigFile, (await File.ReadAllTextAsync(x.Server.ConfigFile)).Replace("""{ "key": "acme" }""", """{ "key": "acme", "zone": "*" }"""));
        x.Server.Service.Operations!.ReloadConfig();
        Assert.Empty(x.Server.Service.Observations.ExchangeErrors);
    }
}
