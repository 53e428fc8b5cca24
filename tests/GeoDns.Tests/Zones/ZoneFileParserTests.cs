using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

public class ZoneFileParserTests
{
    [Theory]
    [InlineData("mx 300 MX 10 mail", "mx.example.com.", DnsType.MX)]
    [InlineData("in 300 IN A 192.0.2.1", "in.example.com.", DnsType.A)]
    [InlineData("a A 192.0.2.1", "a.example.com.", DnsType.A)]
    [InlineData("txt TXT hello", "txt.example.com.", DnsType.TXT)]
    [InlineData("ns IN NS ns1", "ns.example.com.", DnsType.NS)]
    public void Parse_OwnerNamedLikeType_IsOwner(string line, string owner, ushort type)
    {
        var zone = ZoneText.Load("$TTL 60\n" + line);
        Assert.Contains(zone.Records, r => r.Owner == DnsName.Parse(owner) && r.Type == type);
    }

    [Fact]
    public void Parse_BlankOwnerLineStartingWithIn_IsClassNotOwner()
    {
        var zone = ZoneText.Load("$TTL 60\nwww A 192.0.2.1\n  in MX 10 mail");
        Assert.Equal(DnsName.Parse("www.example.com."), zone.Records.Single(r => r.Type == DnsType.MX).Owner);
    }

    [Fact]
    public void Parse_OwnerWithEscapedDot_IsOneLabel()
    {
        var owner = ZoneText.Load("$TTL 60\nfirst\\.last TXT x").Records.Single(r => r.Type == DnsType.TXT).Owner;
        Assert.Equal(3, owner.LabelCount);
        Assert.Equal("first\\.last.example.com.", owner.ToString());
    }

    [Theory]
    [InlineData("www 300 IN A 192.0.2.1")]
    [InlineData("www IN 300 A 192.0.2.1")]
    [InlineData("www 5m in a 192.0.2.1")]
    public void Parse_TtlAndClassInEitherOrder_AreRead(string line)
    {
        var record = ZoneText.Record(line, "www.example.com.", DnsType.A);
        Assert.Equal(300u, record.Ttl);
        Assert.Equal("C0000201", Convert.ToHexString(record.Data));
    }

    [Fact]
    public void Parse_NoTtlNoClass_UsesDefaultTtl()
    {
        Assert.Equal(60u, ZoneText.Record("$TTL 60\nwww A 192.0.2.1", "www.example.com.", DnsType.A).Ttl);
    }

    [Fact]
    public void Parse_NoTtlAndNoTtlDirective_UsesLastExplicitTtl()
    {
        var zone = ZoneText.Load("a 120 A 192.0.2.1\nb A 192.0.2.2");
        Assert.Equal(120u, zone.Records.Single(r => r.Owner == DnsName.Parse("b.example.com.")).Ttl);
    }

    [Fact]
    public void Parse_TtlDirective_WinsOverLastExplicitTtl()
    {
        var zone = ZoneText.Load("$TTL 60\na 120 A 192.0.2.1\nb A 192.0.2.2");
        Assert.Equal(60u, zone.Records.Single(r => r.Owner == DnsName.Parse("b.example.com.")).Ttl);
    }

    [Fact]
    public void Parse_NoTtlAnywhere_IsError()
    {
        Assert.Equal("zones/example.com.zone:1: record has no TTL and there is no $TTL line before it", ZoneText.Error("www A 192.0.2.1"));
    }

    [Fact]
    public void Parse_BlankOwner_RepeatsPreviousOwner()
    {
        var zone = ZoneText.Load("$TTL 60\nwww A 192.0.2.1\n    AAAA 2001:db8::1\n\tTXT hi");
        Assert.Equal(3, zone.Records.Count(r => r.Owner == DnsName.Parse("www.example.com.")));
    }

    [Fact]
    public void Parse_BlankOwnerOnFirstRecord_IsError()
    {
        Assert.Contains("repeats the previous owner, but there is none yet", ZoneText.Error("$TTL 60\n  A 192.0.2.1"));
    }

    [Fact]
    public void Parse_AtSignAndAbsoluteAndRelativeOwners_ResolveAgainstOrigin()
    {
        var zone = ZoneText.Load("$TTL 60\n@ TXT apex\nwww.example.com. TXT absolute\nwww.sub TXT relative\n*.wild TXT wildcard");
        var owners = zone.Records.Where(r => r.Type == DnsType.TXT).Select(r => r.Owner.ToString());
        Assert.Equal(["example.com.", "www.example.com.", "www.sub.example.com.", "*.wild.example.com."], owners);
    }

    [Fact]
    public void Parse_OwnerInUpperCase_IsCanonicalLowercase()
    {
        Assert.Equal("www.example.com.", ZoneText.Record("$TTL 60\nWWW.Example.COM. A 192.0.2.1", "www.example.com.", DnsType.A).Owner.ToString());
    }

    [Fact]
    public void Parse_Record_RemembersFileAndLine()
    {
        Assert.Equal("zones/example.com.zone:3", ZoneText.Record("$TTL 60\n\nwww A 192.0.2.1", "www.example.com.", DnsType.A).Source.ToString());
    }

    [Fact]
    public void Parse_RecordInParentheses_SourceIsFirstLineAndErrorIsBadLine()
    {
        var zone = ZoneText.Load("$TTL 60\nsrv SRV (\n 1 2\n 443 target )");
        Assert.Equal("zones/example.com.zone:2", zone.Records.Single(r => r.Type == DnsType.SRV).Source.ToString());
        Assert.Equal("zones/example.com.zone:4: SRV port 'https' is not a number", ZoneText.Error("$TTL 60\nsrv SRV (\n 1 2\n https target )"));
    }

    [Fact]
    public void Parse_MxPreferenceNotANumber_ErrorNamesFileLineAndField()
    {
        Assert.Equal("zones/example.com.zone:2: MX preference 'ten' is not a number", ZoneText.Error("$TTL 60\n@ MX ten mail"));
    }

    [Fact]
    public void Parse_SeveralBadRecords_ReportsEveryError()
    {
        var result = ZoneText.Parse("$TTL 60\na A 300.1.1.1\nb AAAA nope\nc MX 10\nd A 192.0.2.1");
        Assert.Equal([2, 3, 4], result.Errors.Select(e => e.Line));
        Assert.Null(result.Zone);
    }

    [Theory]
    [InlineData("www CH A 192.0.2.1", "class CH is not supported; GeoDns serves class IN only")]
    [InlineData("www HS A 192.0.2.1", "class HS is not supported; GeoDns serves class IN only")]
    [InlineData("www IN IN A 192.0.2.1", "second class 'IN' (a record has one class)")]
    [InlineData("www 60 70 A 192.0.2.1", "second TTL '70' (a record has one TTL)")]
    [InlineData("www BOGUS 1", "unknown record type 'BOGUS'")]
    [InlineData("www", "missing record type")]
    [InlineData("www A 192.0.2.1 192.0.2.2", "unexpected '192.0.2.2' after the A data")]
    public void Parse_BadRecordHead_IsError(string line, string message)
    {
        Assert.Equal($"zones/example.com.zone:2: {message}", ZoneText.Error("$TTL 60\n" + line));
    }

    [Fact]
    public void Parse_ExplicitClass1_IsIn()
    {
        Assert.Equal(DnsType.A, ZoneText.Record("$TTL 60\nwww CLASS1 A 192.0.2.1", "www.example.com.", DnsType.A).Type);
    }

    [Theory]
    [InlineData("DS")]
    [InlineData("NAPTR")]
    [InlineData("LOC")]
    [InlineData("TYPE65280")]
    public void Parse_TypeWithoutTextForm_AsksForRfc3597Form(string type)
    {
        Assert.Equal($"zones/example.com.zone:2: type {type} is not supported in text form; write it in RFC 3597 form (\\# len hex)",
            ZoneText.Error($"$TTL 60\nwww {type} 1 2 3"));
    }

    [Theory]
    [InlineData("DS", 43)]
    [InlineData("NAPTR", 35)]
    [InlineData("TYPE65280", 65280)]
    public void Parse_TypeWithoutTextForm_AcceptsRfc3597Form(string type, int number)
    {
        var record = ZoneText.Record($"$TTL 60\nwww {type} \\# 3 ABCDEF", "www.example.com.", (ushort)number);
        Assert.Equal("ABCDEF", Convert.ToHexString(record.Data));
    }

    [Theory]
    [InlineData("OPT")]
    [InlineData("ANY")]
    [InlineData("AXFR")]
    [InlineData("TYPE0")]
    public void Parse_MetaType_IsRejected(string type)
    {
        Assert.Contains("cannot be in a zone file", ZoneText.Error($"$TTL 60\nwww 60 IN {type} \\# 0"));
    }

    [Fact]
    public void Parse_LongTtl_AboveRfc2181Limit_IsError()
    {
        Assert.Equal("zones/example.com.zone:1: TTL 2147483648 is above 2147483647 seconds (RFC 2181 §8)", ZoneText.Error("www 2147483648 A 192.0.2.1"));
    }

    [Fact]
    public void Parse_SyntaxErrors_DoNotAlsoReportMissingApex()
    {
        var result = ZoneFileParser.Parse("$TTL 60\n@ SOA ns1 host one 2 3 4 5\n@ NS ns1\n", ZoneText.Origin, "z");
        Assert.Equal("z:2: SOA serial 'one' is not a number", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Parse_LoadedAt_ComesFromTimeProvider()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var result = ZoneFileParser.Parse(ZoneText.Apex, ZoneText.Origin, "z", time: time);
        Assert.Equal(time.GetUtcNow(), result.Zone!.LoadedAt);
        Assert.Equal(1u, result.Zone.Serial);
    }
}
