namespace GeoDns.Server;

/// <summary>
/// Calls back once a burst of changes in a directory has settled: editors write a file in
/// several steps (truncate, write, rename), and one reload after the last step is what we want.
/// </summary>
public sealed class DirectoryWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _timer;
    private readonly TimeSpan _debounce;

    public DirectoryWatcher(string directory, string filter, TimeSpan debounce, Action changed, TimeProvider time)
    {
        _debounce = debounce;
        _timer = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = filter == "*",
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += (_, _) => Touch();
        _watcher.Created += (_, _) => Touch();
        _watcher.Deleted += (_, _) => Touch();
        _watcher.Renamed += (_, _) => Touch();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Restarts the quiet period; the callback runs when it ends.</summary>
    private void Touch() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
