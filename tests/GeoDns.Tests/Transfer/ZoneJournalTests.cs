using GeoDns.Protocol;
using GeoDns.Transfer;
using GeoDns.Testing;

namespace GeoDns.Tests.Transfer;

public sealed class ZoneJournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly DnsName Origin = DnsName.Parse("example.com");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static ResourceRecord Soa(uint serial) =>
        Serial.With(new ResourceRecord(Origin, DnsType.SOA, 300, [0, 0, 0, 0, 0, 0, .. new byte[16]]), serial);

    private static ResourceRecord A(string owner, byte last) => new(DnsName.Parse(owner), DnsType.A, 300, [127, 0, 0, last]);

    /// <summary>What the served zones' writer does: brings the disk up to the current version.</summary>
    private static void Write(ZoneJournal journal)
    {
        journal.TakeWrite()?.Invoke();
        journal.Written(true);
    }

    [Fact]
    public void Advance_FileOnly_KeepsTheFileSerial()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(2026112501), [A("www.example.com", 1)], [], true, Now);
        Assert.Equal(2026112501u, journal.Current!.Serial);
        journal.Advance(Soa(2026112502), [A("www.example.com", 2)], [], true, Now);
        Assert.Equal(2026112502u, journal.Current!.Serial);
    }

    [Fact]
    public void Advance_DynamicOrPoolChange_MovesPastFileAndUnixTime()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now);
        journal.Advance(Soa(1), [A("www.example.com", 1), A("app.example.com", 5)], [], false, Now);
        Assert.Equal(1_800_000_000u, journal.Current!.Serial);
        journal.Advance(Soa(1), [A("www.example.com", 1), A("app.example.com", 6)], [], false, Now); // same second
        Assert.Equal(1_800_000_001u, journal.Current!.Serial);
    }

    [Fact]
    public void Advance_SameContent_NoNewVersion()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        Assert.True(journal.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now));
        Assert.False(journal.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now.AddHours(1)));
    }

    [Fact]
    public void Restart_KeepsSerialAndSteps_NeverGoesBackwards()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now);
        journal.Advance(Soa(1), [A("www.example.com", 2)], [], false, Now);
        Write(journal);
        var served = journal.Current!.Serial;

        var reopened = new ZoneJournal(_dir.Path, Origin);
        Assert.Equal(served, reopened.Current!.Serial);
        var step = Assert.Single(reopened.StepsFrom(1)!);
        Assert.Equal([A("www.example.com", 1).Data], step.Removed.Select(r => r.Data));
        Assert.Equal([A("www.example.com", 2).Data], step.Added.Select(r => r.Data));
        // The file goes back to its old content and serial: still a new, later serial.
        reopened.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now);
        Assert.True(Serial.Newer(reopened.Current!.Serial, served));
    }

    [Theory]
    [InlineData("{ \"Serial\": 5, \"Soa\": { \"Owner\": \"zz\"")] // cut off mid-write
    [InlineData("{}")]                                               // no SOA
    [InlineData("{ \"Serial\": 5, \"Soa\": { \"Owner\": \"00\", \"Type\": 6, \"Ttl\": 1, \"Data\": \"not hex\" } }")]
    public void DamagedJournal_MovedAside_FreshStart_SerialStillForward(string text)
    {
        var path = Path.Combine(_dir.Path, "example.com.json");
        File.WriteAllText(path, text);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 20, 30, TimeSpan.Zero));

        var journal = new ZoneJournal(_dir.Path, Origin, time);

        var aside = path + ".damaged-20261206-102030";
        Assert.Null(journal.Current);
        Assert.Equal(text, File.ReadAllText(aside));
        Assert.False(File.Exists(path));
        Assert.StartsWith($"{path} could not be read (", journal.Damage);
        Assert.Contains($"moved aside to {aside}", journal.Damage);
        Assert.True(journal.Advance(Soa(1), [A("www.example.com", 1)], [], false, Now));
        Assert.Equal(1_800_000_000u, journal.Current!.Serial);
        Write(journal);
        Assert.Null(new ZoneJournal(_dir.Path, Origin, time).Damage); // the fresh one reads back
    }

    [Fact]
    public void Reopened_Undamaged_NoDamage()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], [], true, Now);
        Write(journal);
        Assert.Null(new ZoneJournal(_dir.Path, Origin).Damage);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.damaged-*"));
    }

    [Theory]
    [InlineData(2u, 1u, true)]
    [InlineData(1u, 2u, false)]
    [InlineData(0u, 0xFFFFFFFFu, true)]   // RFC 1982: wraps
    [InlineData(5u, 5u, false)]
    public void Serial_Newer_IsRfc1982(uint a, uint b, bool newer) => Assert.Equal(newer, Serial.Newer(a, b));

    [Fact]
    public void DiskRefuses_VersionsServedAnyway_TheNextWriteRewritesTheWholeFile()
    {
        var directory = _dir["journal"];
        var journal = new ZoneJournal(directory, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], [A("app.example.com", 1)], false, Now);
        Write(journal);
        // Where the journal goes is now a file: the write fails as on a full or read-only disk (root ignores permissions).
        Directory.Delete(directory, recursive: true);
        File.WriteAllText(directory, "in the way");

        Assert.True(journal.MovePools([A("app.example.com", 2)], Now));
        Assert.ThrowsAny<IOException>(() => journal.TakeWrite()!.Invoke());
        journal.Written(false);

        var served = journal.Current!.Serial; // served in memory, with its step for IXFR
        Assert.Single(journal.StepsFrom(1_800_000_000)!);
        File.Delete(directory);
        Assert.True(journal.MovePools([A("app.example.com", 3)], Now));
        Write(journal); // room again: the whole file, not a line that would follow a step never written
        var reopened = new ZoneJournal(directory, Origin);
        Assert.True(Serial.Newer(reopened.Current!.Serial, served));
        Assert.Equal(2, reopened.StepsFrom(1_800_000_000)!.Count);
        Assert.Empty(Directory.GetFiles(directory, "*.steps"));
    }

    [Fact]
    public void MovePools_OneLinePerMove_ReplayedOnRestart_WithTheSameContent()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        var zone = Enumerable.Range(1, 200).Select(i => A($"host{i}.example.com", (byte)i)).ToList();
        journal.Advance(Soa(1), zone, [A("app.example.com", 1), A("app.example.com", 2)], false, Now);
        Write(journal);
        var snapshot = File.ReadAllText(Path.Combine(_dir.Path, "example.com.json"));

        Assert.False(journal.MovePools([A("app.example.com", 2), A("app.example.com", 1)], Now)); // same records, other order: no new version
        for (byte i = 3; i < 6; i++)
        {
            Assert.True(journal.MovePools([A("app.example.com", 1), A("app.example.com", i)], Now));
            Write(journal);
        }

        Assert.Equal(snapshot, File.ReadAllText(Path.Combine(_dir.Path, "example.com.json"))); // the zone's file untouched
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_dir.Path, "example.com.steps")).Length);
        var reopened = new ZoneJournal(_dir.Path, Origin);
        Assert.Equal(journal.Current!.Serial, reopened.Current!.Serial);
        Assert.Equal(journal.Current.ContentHash, reopened.Current.ContentHash);
        Assert.Equal(Texts(journal.Current.Records), Texts(reopened.Current.Records));
        var last = Assert.Single(reopened.StepsFrom(reopened.Current.Serial - 1)!);
        Assert.Equal([A("app.example.com", 4).Data], last.Removed.Select(r => r.Data));
        Assert.Equal([A("app.example.com", 5).Data], last.Added.Select(r => r.Data));
        // The same content composed whole after the restart is no new version: the hash of a replayed version is the hash of its content.
        Assert.False(reopened.Advance(Soa(1), zone, [A("app.example.com", 1), A("app.example.com", 5)], false, Now));
    }

    [Fact]
    public void StepLines_PastMaxSteps_TheWholeFileIsRewritten_AndATornLastLineIsIgnored()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], [A("app.example.com", 0)], false, Now);
        Write(journal);
        for (var i = 1; i <= ZoneJournal.MaxSteps + 1; i++)
        {
            journal.MovePools([A("app.example.com", (byte)i)], Now);
            Write(journal);
        }
        var steps = Path.Combine(_dir.Path, "example.com.steps");
        Assert.True(!File.Exists(steps) || File.ReadAllLines(steps).Length <= ZoneJournal.MaxSteps);

        journal.MovePools([A("app.example.com", 200)], Now);
        Write(journal);
        var served = journal.Current!.Serial;
        File.AppendAllText(steps, "{\"FromSoa\": {\"Owner\""); // a crash mid-append
        var reopened = new ZoneJournal(_dir.Path, Origin);
        Assert.Equal(served, reopened.Current!.Serial);
        Assert.Equal(ZoneJournal.MaxSteps, reopened.StepsFrom(served - ZoneJournal.MaxSteps)!.Count); // IXFR still reaches back as far
    }

    [Fact]
    public void Amend_ASecondarysStep_KeepsTheCopysSerial_AndHashesAsTheWholeCopyWould()
    {
        var journal = new ZoneJournal(_dir["amended"], Origin);
        journal.Advance(Soa(5), [A("www.example.com", 1), A("app.example.com", 1)], [], true, Now);

        Assert.True(journal.Amend(Soa(6), [A("app.example.com", 1)], [A("app.example.com", 2)], fileOnly: true, Now));

        Assert.Equal(6u, journal.Current!.Serial);
        Assert.Equal(6u, journal.FileSerial);
        var step = Assert.Single(journal.StepsFrom(5)!);
        Assert.Equal([A("app.example.com", 1).Data], step.Removed.Select(r => r.Data));
        Assert.Equal([A("app.example.com", 2).Data], step.Added.Select(r => r.Data));
        var whole = new ZoneJournal(_dir["whole"], Origin);
        whole.Advance(Soa(6), [A("www.example.com", 1), A("app.example.com", 2)], [], true, Now);
        Assert.Equal(whole.Current!.ContentHash, journal.Current.ContentHash);
        Assert.Equal(Texts(whole.Current.Records), Texts(journal.Current.Records));
    }

    private static string[] Texts(IEnumerable<ResourceRecord> records) => [.. records.Select(ZoneJournal.Key).Order(StringComparer.Ordinal)];

    public void Dispose() => _dir.Dispose();
}
