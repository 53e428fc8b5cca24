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
    public void IxfrCopies_StoredAsLines_LoadBackWhole_UntilTheLinesAreManyThenWhole()
    {
        var path = SecondaryCopy.PathFor(_dir.Path, Origin);
        var stored = new SecondaryCopy(Origin, Zone(9), Now).Store(_dir.Path, null);
        var whole = File.ReadAllText(path);
        IReadOnlyList<ResourceRecord> records = Zone(9);
        for (uint serial = 10; serial < 13; serial++)
        {
            // A pool's move: one address out, another in, a new SOA.
            var (from, to) = (records[0], Serial.With(records[0], serial));
            var added = new ResourceRecord(DnsName.Parse("app.example.org"), DnsType.A, 30, [127, 0, 0, (byte)serial]);
            var removed = records.Where(r => r.Type == DnsType.A).ToList();
            records = [to, .. records.Skip(1).Where(r => r.Type != DnsType.A), added];
            stored = new SecondaryCopy(Origin, records, Now.AddMinutes(serial)) { Steps = [new ZoneDelta(from, removed, to, [added])] }.Store(_dir.Path, stored);
        }

        Assert.Equal(whole, File.ReadAllText(path)); // the whole copy untouched: three lines beside it
        Assert.Equal(3, stored.StepLines);
        var loaded = SecondaryCopy.Load(_dir.Path, Origin, Now, out var damage)!;
        Assert.Null(damage);
        Assert.Equal((12u, Now.AddMinutes(12), 3), (loaded.Serial, loaded.RefreshedAt, loaded.StepLines));
        Assert.Equal(records.Select(r => r.ToString()).Order(StringComparer.Ordinal), loaded.Records.Select(r => r.ToString()).Order(StringComparer.Ordinal));

        // Past the most lines, the next store is whole again and the lines go.
        var full = new SecondaryCopy(Origin, records, Now) { Steps = [new ZoneDelta(records[0], [], records[0], [])] }.Store(_dir.Path, stored with { StepLines = SecondaryCopy.MaxStepLines });
        Assert.Equal(0, full.StepLines);
        Assert.False(File.Exists(Path.ChangeExtension(path, ".steps")));
    }

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
