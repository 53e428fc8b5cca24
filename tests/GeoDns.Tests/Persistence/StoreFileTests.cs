using GeoDns.Persistence;

namespace GeoDns.Tests.Persistence;

public sealed class StoreFileTests : IDisposable
{
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_CreatesTheDataDirectoryAndFile()
    {
        using var store = new HealthStore(_dir.Path, _dir.Time);

        Assert.Equal(_dir.FilePath, store.FilePath);
        Assert.True(File.Exists(_dir.FilePath));
    }

    [Theory]
    [InlineData(100)] // shorter than a page: LiteDB alone would overwrite it as a new database
    [InlineData(16 * 1024)]
    public void Open_GarbageFile_FailsNamingThePath_AndKeepsTheFile(int length)
    {
        Directory.CreateDirectory(_dir.Path);
        var garbage = new byte[length];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(_dir.FilePath, garbage);

        var error = Assert.Throws<IOException>(() => new HealthStore(_dir.Path, _dir.Time));

        Assert.Contains(_dir.FilePath, error.Message);
        Assert.Equal(garbage, File.ReadAllBytes(_dir.FilePath));
    }

    [Fact]
    public void Open_EmptyFile_StartsAfresh()
    {
        Directory.CreateDirectory(_dir.Path);
        File.WriteAllBytes(_dir.FilePath, []);

        using var store = new HealthStore(_dir.Path, _dir.Time);

        Assert.Empty(store.Overrides());
    }

    [Fact]
    public void Open_SameFileTwice_FailsNamingThePath()
    {
        using var first = new HealthStore(_dir.Path, _dir.Time);

        var error = Assert.Throws<IOException>(() => new HealthStore(_dir.Path, _dir.Time));

        Assert.Contains(_dir.FilePath, error.Message);
    }
}
