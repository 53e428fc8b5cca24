using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transfer;

namespace GeoDns.Tests.Transfer;

public sealed class SecondaryCopyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly DnsName Origin = DnsName.Parse("example.org");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 20, 30, TimeSpan.Zero);

    [Fact]
    public void Saved_LoadsBack()
    {
        new SecondaryCopy(Origin, Zone(9), Now).Save(_dir.Path);

        var copy = SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage);

        Assert.Null(damage);
        Assert.Equal((9u, Now), (copy!.Serial, copy.RefreshedAt));
    }

    private static List<ResourceRecord> Zone(uint serial) =>
    [
        Serial.With(new ResourceRecord(Origin, DnsType.SOA, 300, [0, 0, 0, 0, 0, 0, .. new byte[16]]), serial),
        new ResourceRecord(Origin, DnsType.NS, 300, DnsName.Parse("ns1.example.org").Wire),
    ];

    [Fact]
    public void StoredCopyBreakingTheZonesRules_MovedAside_NotServed()
    {
        // Stored by a version that did not check transfers: a record outside the zone, as a hostile primary sent it.
        new SecondaryCopy(Origin, [.. Zone(9), new ResourceRecord(DnsName.Parse("www.example.com"), DnsType.NS, 300, DnsName.Parse("ns.evil.test").Wire)], Now).Save(_dir.Path);

        Assert.Null(SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage));

        Assert.Contains("outside the zone", damage);
        Assert.Contains("moved aside", damage);
    }

    [Theory]
    [InlineData("\0\0garbage")]
    [InlineData("""{ "RefreshedAt": "2026-12-06T10:00:00Z", "Records": [] }""")] // no SOA
    [InlineData("null")]
    public void Damaged_MovedAside_WithWhatHappened(string text)
    {
        var path = SecondaryCopy.PathFor(_dir.Path, Origin);
        File.WriteAllText(path, text);

        Assert.Null(SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage));

        Assert.False(File.Exists(path));
        Assert.Equal(text, File.ReadAllText(path + ".damaged-20261206-102030"));
        Assert.StartsWith($"{path} could not be read (", damage);
        Assert.EndsWith($"moved aside to {path}.damaged-20261206-102030; transferring the zone anew", damage);
    }

    [Fact]
    public void None_NoDamage()
    {
        Assert.Null(SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage));
        Assert.Null(damage);
    }

    public void Dispose() => _dir.Dispose();
}
