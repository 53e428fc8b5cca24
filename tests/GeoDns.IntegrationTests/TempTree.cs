namespace GeoDns.IntegrationTests;

/// <summary>A temp directory for a server and its peers, deleted with everything in it on dispose.</summary>
public sealed class TempTree(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a peer still writing as it exits; the OS cleans /tmp
    }
}
