using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

public class ZoneValidatorTests
{
    private const string Soa = "@ SOA ns1 hostmaster 1 2 3 4 5";

    private static ZoneLoadResult Parse(string text) => ZoneFileParser.Parse(text, ZoneText.Origin, "z.zone");

    private static string[] Errors(string text)
    {
        var result = Parse(text);
        Assert.Null(result.Zone);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Validate_MinimalZone_IsAccepted()
    {
        var zone = Parse($"$TTL 60\n{Soa}\n@ NS ns1\n").Zone!;
        Assert.Equal(2, zone.Records.Count);
        Assert.Equal(ZoneText.Origin, zone.Origin);
    }

    [Fact]
    public void Validate_NoSoaAtApex_Rejected() =>
        Assert.Equal(["z.zone: no SOA record at the zone apex example.com."], Errors("$TTL 60\n@ NS ns1\n"));

    [Fact]
    public void Validate_NoNsAtApex_Rejected() =>
        Assert.Equal(["z.zone: no NS records at the zone apex example.com."], Errors($"$TTL 60\n{Soa}\nsub NS ns1\n"));

    [Fact]
    public void Validate_TwoSoas_RejectedAtTheSecond() =>
        Assert.Equal(["z.zone:4: second SOA record (the first is at line 2); a zone has exactly one"],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\n@ SOA ns2 hostmaster 2 2 3 4 5\n"));

    [Fact]
    public void Validate_SoaBelowApex_RejectedWithLine() =>
        Assert.Equal(["z.zone:4: SOA record at sub.example.com.: the SOA belongs at the zone apex example.com."],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\nsub SOA ns1 hostmaster 1 2 3 4 5\n"));

    [Fact]
    public void Validate_OwnerOutsideOrigin_RejectedWithLine() =>
        Assert.Equal(["z.zone:4: www.example.org. is outside the zone example.com.; owners must be example.com. or below it"],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\nwww.example.org. A 192.0.2.1\n"));

    [Fact]
    public void Validate_OwnerThatOnlyEndsLikeOrigin_IsOutside() =>
        Assert.Contains("notexample.com. is outside the zone", Assert.Single(Errors($"$TTL 60\n{Soa}\n@ NS ns1\nnotexample.com. A 192.0.2.1\n")));

    [Fact]
    public void Validate_CnameBesideA_RejectedWithLine() =>
        Assert.Equal(["z.zone:5: CNAME at www.example.com. beside other data (A at line 4); a name with a CNAME can have no other records"],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\nwww A 192.0.2.1\nwww CNAME other\n"));

    [Fact]
    public void Validate_CnameAtApex_Rejected() =>
        Assert.Contains("CNAME at example.com. beside other data (SOA at line 2)", Assert.Single(Errors($"$TTL 60\n{Soa}\n@ NS ns1\n@ CNAME other\n")));

    [Fact]
    public void Validate_TwoCnames_RejectedAtTheSecond() =>
        Assert.Equal(["z.zone:5: second CNAME at www.example.com. (the first is at line 4); a name can have only one CNAME"],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\nwww CNAME a\nwww CNAME b\n"));

    [Fact]
    public void Validate_SameCnameTwice_IsMergedNotRejected() =>
        Assert.Single(Parse($"$TTL 60\n{Soa}\n@ NS ns1\nwww CNAME a\nwww CNAME A.example.com.\n").Zone!.Records, r => r.Type == DnsType.CNAME);

    [Fact]
    public void Validate_DnameBesideCname_Rejected() =>
        Assert.Contains("CNAME at d.example.com. beside other data (DNAME at line 4)", Assert.Single(Errors($"$TTL 60\n{Soa}\n@ NS ns1\nd DNAME example.net.\nd CNAME x\n")));

    [Fact]
    public void Validate_DataBelowDname_Rejected() =>
        Assert.Equal(["z.zone:5: x.d.example.com. is below the DNAME at d.example.com. (line 4); a DNAME owner can have no names below it (RFC 6672 §2.4)"],
            Errors($"$TTL 60\n{Soa}\n@ NS ns1\nd DNAME example.net.\nx.d A 192.0.2.1\n"));

    [Fact]
    public void Validate_DnameBesideOtherData_IsAllowed() =>
        Assert.True(Parse($"$TTL 60\n{Soa}\n@ NS ns1\nd DNAME example.net.\nd A 192.0.2.1\n").Ok);

    [Fact]
    public void Validate_ManyProblems_AllReported()
    {
        var errors = Errors("$TTL 60\nwww A 192.0.2.1\nwww CNAME a\nother.org. TXT x\n");
        Assert.Equal(4, errors.Length);
        Assert.Contains(errors, e => e.Contains("no SOA"));
        Assert.Contains(errors, e => e.Contains("no NS"));
        Assert.Contains(errors, e => e.StartsWith("z.zone:3: CNAME"));
        Assert.Contains(errors, e => e.StartsWith("z.zone:4: other.org. is outside"));
    }

    [Fact]
    public void Validate_DuplicateRecords_AreMergedKeepingTheFirst()
    {
        var zone = Parse($"$TTL 60\n{Soa}\n@ NS ns1\n@ NS NS1.example.com.\nwww A 192.0.2.1\nWWW 60 IN A 192.0.2.1\nwww A 192.0.2.2\n").Zone!;
        Assert.Single(zone.Records, r => r.Type == DnsType.NS);
        var a = zone.Records.Where(r => r.Type == DnsType.A).ToList();
        Assert.Equal(2, a.Count);
        Assert.Equal("z.zone:5", a[0].Source.ToString());
    }

    [Fact]
    public void Validate_TxtDifferingOnlyInCase_AreNotDuplicates() =>
        Assert.Equal(2, Parse($"$TTL 60\n{Soa}\n@ NS ns1\nt TXT A\nt TXT a\n").Zone!.Records.Count(r => r.Type == DnsType.TXT));

    [Fact]
    public void Validate_RRsetWithDifferingTtls_TakesTheLowest()
    {
        var zone = Parse($"$TTL 60\n{Soa}\n@ NS ns1\nwww 300 A 192.0.2.1\nwww 100 A 192.0.2.2\nwww 200 TXT x\n").Zone!;
        Assert.All(zone.Records.Where(r => r.Type == DnsType.A), r => Assert.Equal(100u, r.Ttl));
        Assert.Equal(200u, zone.Records.Single(r => r.Type == DnsType.TXT).Ttl);
    }

    [Fact]
    public void Validate_CalledDirectly_ReturnsRecordsAndErrors()
    {
        var records = new[]
        {
            new ResourceRecord(ZoneText.Origin, DnsType.A, 60, [192, 0, 2, 1], new RecordSource("mem", 1)),
            new ResourceRecord(ZoneText.Origin, DnsType.A, 60, [192, 0, 2, 1], new RecordSource("mem", 2)),
        };
        var (kept, errors) = ZoneValidator.Validate(ZoneText.Origin, records, "mem");
        Assert.Single(kept);
        Assert.Equal(["mem: no SOA record at the zone apex example.com.", "mem: no NS records at the zone apex example.com."], errors.Select(e => e.ToString()));
    }
}
