using GeoDns.Testing;
using GeoDns.Geo;

namespace GeoDns.Tests.Geo;

/// <summary>A database file written for one test and deleted after it.</summary>
public sealed class TempMmdb : IDisposable
{
    public TempMmdb(byte[] contents)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"geodns-{Guid.NewGuid():N}.mmdb");
        File.WriteAllBytes(Path, contents);
    }

    public TempMmdb(MmdbWriter writer) : this(writer.Build()) { }

    public string Path { get; }

    public GeoDatabase Open()
    {
        var database = GeoDatabase.TryOpen(Path, out var error);
        Assert.True(database is not null, error);
        return database;
    }

    public void Dispose() => File.Delete(Path);
}
