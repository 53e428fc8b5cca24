namespace GeoDns.Sidecar.Tests;

/// <summary>A temporary directory, deleted on dispose.</summary>
public sealed class Scratch : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("geodns-sidecar-test-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a listener may still be writing its log; the OS cleans /tmp
        }
    }
}
