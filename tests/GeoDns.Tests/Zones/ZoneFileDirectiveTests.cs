using GeoDns.Testing;
using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

public class ZoneFileDirectiveTests
{
    private static DnsName Name(string text) => DnsName.Parse(text);

    [Fact]
    public void Origin_ChangesAtSignAndRelativeNames_InRdataToo()
    {
        var text = "$TTL 60\n" + ZoneText.Apex + "$ORIGIN sub.example.com.\n@ TXT at\nwww CNAME @\n$ORIGIN deeper\nx MX 10 mail\n";
        var zone = ZoneFileParser.Parse(text, ZoneText.Origin, "z").Zone!;
        Assert.Contains(zone.Records, r => r.Owner == Name("sub.example.com.") && r.Type == DnsType.TXT);
        var cname = zone.Records.Single(r => r.Type == DnsType.CNAME);
        Assert.Equal(Name("www.sub.example.com."), cname.Owner);
        Assert.Equal(ZoneText.WireHex("sub", "example", "com"), Convert.ToHexString(cname.Data));
        var mx = zone.Records.Single(r => r.Type == DnsType.MX);
        Assert.Equal(Name("x.deeper.sub.example.com."), mx.Owner);
        Assert.Equal("000A" + ZoneText.WireHex("mail", "deeper", "sub", "example", "com"), Convert.ToHexString(mx.Data));
    }

    [Theory]
    [InlineData("3600", 3600u)]
    [InlineData("1h30m", 5400u)]
    [InlineData("2d", 172800u)]
    [InlineData("1w", 604800u)]
    [InlineData("1W2D3H4M5S", 788645u)]
    [InlineData("90s", 90u)]
    public void Ttl_WithBindUnits_IsSeconds(string ttl, uint seconds)
    {
        Assert.Equal(seconds, ZoneText.Record($"$TTL {ttl}\nwww A 192.0.2.1", "www.example.com.", DnsType.A).Ttl);
    }

    [Theory]
    [InlineData("$TTL 1x", "$TTL '1x' is not a number of seconds or a duration like 1h30m")]
    [InlineData("$TTL h", "$TTL 'h' is not a number of seconds or a duration like 1h30m")]
    [InlineData("$TTL 1h30", "$TTL '1h30' is not a number of seconds or a duration like 1h30m")]
    [InlineData("$TTL", "missing $TTL value")]
    [InlineData("$TTL 60 70", "unexpected '70' after the $TTL value")]
    [InlineData("$ORIGIN a..b.", "$ORIGIN name 'a..b.' has an empty label")]
    [InlineData("$GENERATE 1-9 host$ A 10.0.0.$", "unknown directive $GENERATE (supported: $ORIGIN, $TTL, $INCLUDE)")]
    [InlineData("$INCLUDE other.inc", "$INCLUDE needs the zone to be loaded from a file, to know where to look")]
    public void Directive_Malformed_IsErrorWithLine(string line, string message)
    {
        Assert.Equal($"zones/example.com.zone:2: {message}", ZoneText.Error("; first line\n" + line));
    }

    [Fact]
    public void Include_WithOrigin_UsesItOnlyInsideTheIncludedFile()
    {
        using var dir = new TempDirectory();
        dir.Write("inc/hosts.inc", "@ TXT included-apex\nwww A 192.0.2.7\n  AAAA 2001:db8::7\n");
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "top A 192.0.2.1\n$INCLUDE inc/hosts.inc lab\n  TXT after-include\nafter A 192.0.2.2\n");
        var result = ZoneFileParser.Load(path, ZoneText.Origin);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var records = result.Zone!.Records;
        Assert.Contains(records, r => r.Owner == Name("lab.example.com.") && r.Type == DnsType.TXT);
        Assert.Contains(records, r => r.Owner == Name("www.lab.example.com.") && r.Type == DnsType.AAAA);
        // The blank owner after $INCLUDE is the including file's previous owner again.
        Assert.Contains(records, r => r.Owner == Name("top.example.com.") && r.Type == DnsType.TXT);
        Assert.Contains(records, r => r.Owner == Name("after.example.com."));
        Assert.Equal(Path.Combine(dir.Path, "inc/hosts.inc") + ":2", records.Single(r => r.Type == DnsType.A && r.Owner == Name("www.lab.example.com.")).Source.ToString());
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("../outside.inc")]
    [InlineData("inc/../../outside.inc")]
    public void Include_OutsideTheZoneDirectory_IsAnError_NothingRead(string include)
    {
        using var dir = new TempDirectory();
        var zones = Path.Combine(dir.Path, "zones");
        dir.Write("outside.inc", "secret TXT \"not for the zone\"\n");
        var path = dir.Write("zones/example.com.zone", "$TTL 60\n" + ZoneText.Apex + $"$INCLUDE {include}\n");

        var result = ZoneFileParser.Load(path, ZoneText.Origin);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{path}:{error.Line}: $INCLUDE '{include}' is outside the zone directory {zones}; include files must live in it", error.ToString());
    }

    [Theory]
    [InlineData("link.inc")]         // a link to a file outside
    [InlineData("linkdir/hosts.inc")] // a link to a directory outside, on the way to the file
    [InlineData("chain.inc")]        // a link to a link inside, which leads outside
    public void Include_ThroughASymlinkLeadingOutside_IsAnError_NamingFileAndLine(string include)
    {
        using var dir = new TempDirectory();
        var zones = Path.Combine(dir.Path, "zones");
        dir.Write("outside.inc", "secret TXT \"not for the zone\"\n");
        dir.Write("elsewhere/hosts.inc", "secret TXT \"not for the zone\"\n");
        var path = dir.Write("zones/example.com.zone", "$TTL 60\n" + ZoneText.Apex + $"$INCLUDE {include}\n");
        File.CreateSymbolicLink(Path.Combine(zones, "link.inc"), "../outside.inc");
        Directory.CreateSymbolicLink(Path.Combine(zones, "linkdir"), Path.Combine(dir.Path, "elsewhere"));
        File.CreateSymbolicLink(Path.Combine(zones, "chain.inc"), "link.inc");

        var result = ZoneFileParser.Load(path, ZoneText.Origin);

        var error = Assert.Single(result.Errors);
        var line = ZoneText.Apex.Count(c => c == '\n') + 2;
        Assert.StartsWith($"{path}:{line}: $INCLUDE '{include}' is outside the zone directory {zones} (a symbolic link leads to {dir.Path}/", error.ToString());
        Assert.EndsWith("); include files must live in it", error.ToString());
        Assert.Null(result.Zone);
    }

    [Fact]
    public void Include_ThroughSymlinksStayingInside_Read()
    {
        using var dir = new TempDirectory();
        dir.Write("zones/real/hosts.inc", "www A 192.0.2.7\n");
        dir.Write("zones/mail.inc", "mail A 192.0.2.8\n");
        var zones = Path.Combine(dir.Path, "zones");
        Directory.CreateSymbolicLink(Path.Combine(zones, "sub"), "real");                            // a directory, relative
        File.CreateSymbolicLink(Path.Combine(zones, "alias.inc"), Path.Combine(zones, "mail.inc")); // a file, absolute
        // The zone directory itself reached through a link: what is inside it is inside.
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "zones-link"), zones);
        dir.Write("zones/example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE sub/hosts.inc\n$INCLUDE alias.inc\n");

        var result = ZoneFileParser.Load(Path.Combine(dir.Path, "zones-link", "example.com.zone"), ZoneText.Origin);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Contains(result.Zone!.Records, r => r.Owner == Name("www.example.com.") && r.Type == DnsType.A);
        Assert.Contains(result.Zone!.Records, r => r.Owner == Name("mail.example.com.") && r.Type == DnsType.A);
    }

    [Fact]
    public void Include_WithoutOrigin_KeepsCurrentOrigin_AndNestedPathsAreRelativeToIncludingFile()
    {
        using var dir = new TempDirectory();
        dir.Write("inc/a.inc", "$INCLUDE b.inc\n");
        dir.Write("inc/b.inc", "deep TXT \"from b\"\n");
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE \"inc/a.inc\"\n");
        var zone = ZoneFileParser.Load(path, ZoneText.Origin).Zone!;
        Assert.Contains(zone.Records, r => r.Owner == Name("deep.example.com."));
    }

    [Fact]
    public void Include_ErrorInsideIncludedFile_NamesThatFileAndLine()
    {
        using var dir = new TempDirectory();
        dir.Write("bad.inc", "ok A 192.0.2.1\nbad A 192.0.2\n");
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE bad.inc\n");
        var error = Assert.Single(ZoneFileParser.Load(path, ZoneText.Origin).Errors);
        Assert.Equal($"{Path.Combine(dir.Path, "bad.inc")}:2: A address '192.0.2' is not an IPv4 address", error.ToString());
    }

    [Fact]
    public void Include_MissingFile_IsErrorAtTheIncludeLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE missing.inc\n");
        var error = Assert.Single(ZoneFileParser.Load(path, ZoneText.Origin).Errors);
        Assert.Equal(path, error.File);
        Assert.Equal(4, error.Line);
        Assert.StartsWith("cannot read $INCLUDE file", error.Message);
    }

    [Fact]
    public void Include_ItselfRecursively_StopsAtDepthLimit()
    {
        using var dir = new TempDirectory();
        dir.Write("loop.inc", "$INCLUDE loop.inc\n");
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE loop.inc\n");
        var error = Assert.Single(ZoneFileParser.Load(path, ZoneText.Origin).Errors);
        Assert.Equal("$INCLUDE nested more than 8 deep; does a file include itself?", error.Message);
    }

    [Fact]
    public void Include_EightLevelsDeep_IsAllowed()
    {
        using var dir = new TempDirectory();
        for (var i = 1; i < 8; i++) dir.Write($"l{i}.inc", $"$INCLUDE l{i + 1}.inc\n");
        dir.Write("l8.inc", "bottom TXT reached\n");
        var path = dir.Write("example.com.zone", "$TTL 60\n" + ZoneText.Apex + "$INCLUDE l1.inc\n");
        Assert.True(ZoneFileParser.Load(path, ZoneText.Origin).Ok);
    }

    [Fact]
    public void Include_TtlDirectiveInsideIncludedFile_AppliesAfterwards()
    {
        using var dir = new TempDirectory();
        dir.Write("ttl.inc", "$TTL 42\n");
        var path = dir.Write("example.com.zone", ZoneText.Apex + "$INCLUDE ttl.inc\nwww A 192.0.2.1\n");
        Assert.Equal(42u, ZoneFileParser.Load(path, ZoneText.Origin).Zone!.Records.Single(r => r.Type == DnsType.A).Ttl);
    }

    [Fact]
    public void Load_MissingFile_IsErrorNotException()
    {
        var error = Assert.Single(ZoneFileParser.Load("/nonexistent/geodns/example.com.zone", ZoneText.Origin).Errors);
        Assert.Equal(0, error.Line);
        Assert.StartsWith("cannot read the zone file", error.Message);
    }
}
