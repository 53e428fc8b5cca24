using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Updates;

namespace GeoDns.Tests.Updates;

public sealed class DynamicRecordsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly DnsName Origin = DnsName.Parse("example.com");

    private static ResourceRecord Txt(string text) =>
        new(DnsName.Parse("_acme-challenge.example.com"), DnsType.TXT, 60, [(byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text)]);

    private static string Text(IEnumerable<ResourceRecord> records) => string.Join("|", records.Select(r => $"{r.Owner} {r.Type} {r.Ttl} {Convert.ToHexString(r.Data)}"));

    [Fact]
    public void Replace_DiskRefuses_ThrowsAndNothingChanges()
    {
        var directory = _dir["dynamic"];
        var records = new DynamicRecords(directory);
        records.Replace(Origin, [Txt("one")]);
        var stored = Directory.GetFiles(directory).Select(File.ReadAllText).Single();
        // A directory where the tmp file would go: the write fails as on a full or read-only disk (root ignores permissions).
        Directory.CreateDirectory(Path.Combine(directory, Convert.ToHexString(Origin.Wire) + ".json.tmp"));

        Assert.ThrowsAny<Exception>(() => records.Replace(Origin, [Txt("two")]));

        Assert.Equal(Text([Txt("one")]), Text(records.For(Origin)));
        Assert.Equal(stored, Directory.GetFiles(directory).Select(File.ReadAllText).Single());
    }

    public void Dispose() => _dir.Dispose();
}
