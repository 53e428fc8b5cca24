using GeoDns.Testing;
using GeoDns.Protocol;
using GeoDns.Zones;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Zones;

public class ZoneDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private static string ZoneFile(uint serial, string extra = "") =>
        $"$TTL 60\n@ SOA ns1 hostmaster {serial} 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n{extra}";

    private static DnsName Name(string text) => DnsName.Parse(text);

    [Fact]
    public void Reload_LoadsEveryZoneFile_OriginFromFileName()
    {
        _dir.Write("example.com.zone", ZoneFile(1));
        _dir.Write("example.org.zone", ZoneFile(7));
        _dir.Write("hosts.inc", "this is not a zone");
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Empty(set.Errors);
        Assert.Equal(["example.com.", "example.org."], set.Zones.Select(z => z.Origin.ToString()));
        Assert.Equal(7u, set.FindZone(Name("www.example.org."))!.Serial);
        Assert.Equal(_time.GetUtcNow(), set.Zones[0].LoadedAt);
    }

    [Fact]
    public void Reload_AfterEdit_ServesNewVersion()
    {
        _dir.Write("example.com.zone", ZoneFile(1));
        var zones = new ZoneDirectory(_dir.Path, _time);
        zones.Reload();
        _dir.Write("example.com.zone", ZoneFile(2, "www A 192.0.2.80\n"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var zone = Assert.Single(zones.Reload().Zones);
        Assert.Equal(2u, zone.Serial);
        Assert.Equal(_time.GetUtcNow(), zone.LoadedAt);
        Assert.Same(zone, zones.Current.Zones[0]);
    }

    [Fact]
    public void Reload_AfterBrokenEdit_KeepsPreviousVersionAndReportsError()
    {
        var path = _dir.Write("example.com.zone", ZoneFile(1));
        _dir.Write("example.org.zone", ZoneFile(1));
        var zones = new ZoneDirectory(_dir.Path, _time);
        var first = zones.Reload();
        _dir.Write("example.com.zone", ZoneFile(2, "www MX ten mail\n"));
        _dir.Write("example.org.zone", ZoneFile(2));
        var second = zones.Reload();
        Assert.Equal($"{path}:5: MX preference 'ten' is not a number", Assert.Single(second.Errors).ToString());
        Assert.Same(first.FindZone(Name("example.com.")), second.FindZone(Name("example.com.")));
        Assert.Equal(2u, second.FindZone(Name("example.org."))!.Serial);
    }

    [Fact]
    public void Reload_BrokenFileNeverLoaded_IsOnlyAnError()
    {
        _dir.Write("example.com.zone", "$TTL 60\n@ NS ns1\n");
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Empty(set.Zones);
        Assert.Contains("no SOA record", Assert.Single(set.Errors).Message);
    }

    [Fact]
    public void Reload_AfterDelete_DropsZone()
    {
        _dir.Write("example.com.zone", ZoneFile(1));
        _dir.Write("example.org.zone", ZoneFile(1));
        var zones = new ZoneDirectory(_dir.Path, _time);
        zones.Reload();
        _dir.Delete("example.org.zone");
        Assert.Equal(["example.com."], zones.Reload().Zones.Select(z => z.Origin.ToString()));
    }

    [Fact]
    public void Reload_NewFile_IsAdded()
    {
        _dir.Write("example.com.zone", ZoneFile(1));
        var zones = new ZoneDirectory(_dir.Path, _time);
        zones.Reload();
        _dir.Write("sub.example.com.zone", ZoneFile(1));
        var set = zones.Reload();
        Assert.Equal(2, set.Zones.Count);
        Assert.Equal(Name("sub.example.com."), set.FindZone(Name("www.sub.example.com."))!.Origin);
    }

    [Fact]
    public void Reload_FileNameNotADomainName_IsError()
    {
        _dir.Write("my zone.zone", ZoneFile(1));
        _dir.Write("a..b.zone", ZoneFile(1));
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Empty(set.Zones);
        Assert.Equal(2, set.Errors.Count);
        Assert.Contains(set.Errors, e => e.Message.StartsWith("file name 'my zone.zone' is not a domain name"));
        Assert.Contains(set.Errors, e => e.Message.StartsWith("file name 'a..b.zone' is not a domain name"));
    }

    [Theory]
    [InlineData("net.*.zone", "net.*.")]
    [InlineData("net.%2A.zone", "net.*.")]
    [InlineData("email.%2a.www.com.zone", "email.*.www.com.")]
    public void Reload_StarLabelInFileName_IsTheOrigin(string file, string origin)
    {
        _dir.Write(file, ZoneFile(1));
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Empty(set.Errors);
        Assert.Equal(Name(origin), Assert.Single(set.Zones).Origin);
    }

    [Fact]
    public void Reload_StarInsideALabel_IsError()
    {
        _dir.Write("a*b.example.zone", ZoneFile(1));
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Empty(set.Zones);
        Assert.StartsWith("file name 'a*b.example.zone' is not a domain name", Assert.Single(set.Errors).Message);
    }

    [Fact]
    public void Reload_TwoFilesForOneZone_SecondIsError()
    {
        _dir.Write("example.com.zone", ZoneFile(1));
        _dir.Write("example.com..zone", ZoneFile(2));
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Single(set.Zones);
        Assert.StartsWith("zone example.com. is already loaded from", Assert.Single(set.Errors).Message);
    }

    [Fact]
    public void Reload_IncludeWithOtherExtension_IsPartOfTheZone()
    {
        _dir.Write("hosts.inc", "www A 192.0.2.80\n");
        _dir.Write("example.com.zone", ZoneFile(1, "$INCLUDE hosts.inc\n"));
        var set = new ZoneDirectory(_dir.Path, _time).Reload();
        Assert.Contains(Assert.Single(set.Zones).Records, r => r.Owner == Name("www.example.com."));
    }

    [Fact]
    public void Reload_MissingDirectory_KeepsZonesAndReportsError()
    {
        _dir.Write("sub/example.com.zone", ZoneFile(1));
        var zones = new ZoneDirectory(Path.Combine(_dir.Path, "sub"), _time);
        zones.Reload();
        Directory.Delete(Path.Combine(_dir.Path, "sub"), recursive: true);
        var set = zones.Reload();
        Assert.Single(set.Zones);
        Assert.StartsWith("cannot list the zone directory", Assert.Single(set.Errors).Message);
    }

    [Fact]
    public async Task Reload_FromSeveralThreads_EachSeesACompleteSet()
    {
        for (var i = 0; i < 5; i++) _dir.Write($"z{i}.example.zone", ZoneFile((uint)i));
        var zones = new ZoneDirectory(_dir.Path, _time);
        var sets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(zones.Reload)));
        Assert.All(sets, s => Assert.Equal(5, s.Zones.Count));
        Assert.Contains(zones.Current, sets);
    }
}
