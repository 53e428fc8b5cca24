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
        var soa = Serial.With(new ResourceRecord(Origin, DnsType.SOA, 300, [0, 0, 0, 0, 0, 0, .. new byte[16]]), 9);
        new SecondaryCopy(Origin, [soa], Now).Save(_dir.Path);

        var copy = SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage);

        Assert.Null(damage);
        Assert.Equal((9u, Now), (copy!.Serial, copy.RefreshedAt));
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
