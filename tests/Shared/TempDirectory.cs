namespace GeoDns.Testing;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory(string prefix = "geodns-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> (folders made as needed) and returns the full path.</summary>
    public string Write(string relativePath, string text)
    {
        var full = this[relativePath];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Delete(string relativePath) => File.Delete(this[relativePath]);

    /// <summary>Hands the directory over: it is no longer deleted on dispose (e.g. for a server restarted on it).</summary>
    public string Keep()
    {
        _kept = true;
        return Path;
    }

    private bool _kept;

    public void Dispose()
    {
        if (_kept) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process may still be writing its log there; the OS cleans the temp folder
        }
    }
}
