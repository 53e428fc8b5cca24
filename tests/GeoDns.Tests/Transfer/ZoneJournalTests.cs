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

    [Fact]
    public void Advance_FileOnly_KeepsTheFileSerial()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(2026112501), [A("www.example.com", 1)], fileOnly: true, Now);
        Assert.Equal(2026112501u, journal.Current!.Serial);
        journal.Advance(Soa(2026112502), [A("www.example.com", 2)], fileOnly: true, Now);
        Assert.Equal(2026112502u, journal.Current!.Serial);
    }

    [Fact]
    public void Advance_DynamicOrPoolChange_MovesPastFileAndUnixTime()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now);
        journal.Advance(Soa(1), [A("www.example.com", 1), A("app.example.com", 5)], fileOnly: false, Now);
        Assert.Equal(1_800_000_000u, journal.Current!.Serial);
        journal.Advance(Soa(1), [A("www.example.com", 1), A("app.example.com", 6)], fileOnly: false, Now); // same second
        Assert.Equal(1_800_000_001u, journal.Current!.Serial);
    }

    [Fact]
    public void Advance_SameContent_NoNewVersion()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        Assert.True(journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now));
        Assert.False(journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now.AddHours(1)));
    }

    [Fact]
    public void Restart_KeepsSerialAndSteps_NeverGoesBackwards()
    {
        var journal = new ZoneJournal(_dir.Path, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now);
        journal.Advance(Soa(1), [A("www.example.com", 2)], fileOnly: false, Now);
        var served = journal.Current!.Serial;

        var reopened = new ZoneJournal(_dir.Path, Origin);
        Assert.Equal(served, reopened.Current!.Serial);
        var step = Assert.Single(reopened.StepsFrom(1)!);
        Assert.Equal([A("www.example.com", 1).Data], step.Removed.Select(r => r.Data));
        Assert.Equal([A("www.example.com", 2).Data], step.Added.Select(r => r.Data));
        // The file goes back to its old content and serial: still a new, later serial.
        reopened.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now);
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
        Assert.True(journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: false, Now));
        Assert.Equal(1_800_000_000u, journal.Current!.Serial);
        Assert.Null(new ZoneJournal(_dir.Path, Origin, time).Damage); // the fresh one reads back
    }

    [Fact]
    public void Reopened_Undamaged_NoDamage()
    {
        new ZoneJournal(_dir.Path, Origin).Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now);
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
    public void Advance_DiskRefuses_ThrowsAndServesTheVersionBefore()
    {
        var directory = _dir["journal"];
        var journal = new ZoneJournal(directory, Origin);
        journal.Advance(Soa(1), [A("www.example.com", 1)], fileOnly: true, Now);
        journal.Advance(Soa(2), [A("www.example.com", 2)], fileOnly: true, Now);
        // Where the journal goes is now a file: the write fails as on a full or read-only disk (root ignores permissions).
        Directory.Delete(directory, recursive: true);
        File.WriteAllText(directory, "in the way");

        Assert.ThrowsAny<IOException>(() => journal.Advance(Soa(3), [A("www.example.com", 3)], fileOnly: true, Now));

        Assert.Equal(2u, journal.Current!.Serial);
        Assert.Single(journal.StepsFrom(1)!);
        Assert.Null(journal.StepsFrom(2)); // no step towards the version never stored
    }

    public void Dispose() => _dir.Dispose();
}
