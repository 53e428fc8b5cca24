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

    /// <param name="matters">Which changed paths count (full paths; for a rename, the old or the new name); null: every one the filter passes.</param>
    public DirectoryWatcher(string directory, string filter, TimeSpan debounce, Action changed, TimeProvider time, Func<string, bool>? matters = null)
    {
        _debounce = debounce;
        _timer = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = filter == "*",
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        void Seen(string path)
        {
            if (matters is null || matters(path)) Touch();
        }
        _watcher.Changed += (_, e) => Seen(e.FullPath);
        _watcher.Created += (_, e) => Seen(e.FullPath);
        _watcher.Deleted += (_, e) => Seen(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Seen(e.OldFullPath);
            Seen(e.FullPath);
        };
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
