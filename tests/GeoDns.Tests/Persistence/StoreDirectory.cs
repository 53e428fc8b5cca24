using GeoDns.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Persistence;

/// <summary>A fresh temp data directory per test, with a fake clock; deleted afterwards with every store opened in it.</summary>
public sealed class StoreDirectory : IDisposable
{
    private readonly List<HealthStore> _opened = [];

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "geodns-store-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public string FilePath => System.IO.Path.Combine(Path, HealthStore.FileName);

    public HealthStore Open(int retention = 10_000)
    {
        var store = new HealthStore(Path, Time, retention);
        _opened.Add(store);
        return store;
    }

    /// <summary>Disposes <paramref name="store"/> and opens the same file again, as a restart would.</summary>
    public HealthStore Reopen(HealthStore store, int retention = 10_000)
    {
        store.Dispose();
        return Open(retention);
    }

    public void Dispose()
    {
        foreach (var store in _opened) store.Dispose();
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
