namespace GeoDns.Sidecar.Tests;

/// <summary>
/// What deploy/publish.sh makes (self-contained single files of both programs, linux-x64 and linux-arm64), made once
/// per test run for every test that needs it: a publish takes minutes on two cores, and the package test would
/// otherwise repeat the one the publish test makes. publish.sh builds in its own output directory, so this runs
/// beside the other tests; the directory is removed when the test process ends.
/// </summary>
public static class PublishedPrograms
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The output directory: <c>RID/server/GeoDns.Server</c>, <c>RID/sidecar/GeoDns.Sidecar</c>.</summary>
    public static Task<string> DirectoryAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("geodns-published-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(output, recursive: true); } catch (IOException) { } };
        var published = await Script.RunAsync(Repository.File("deploy/publish.sh"), [output], TimeSpan.FromMinutes(10));
        return published.ExitCode == 0 ? output : throw new InvalidOperationException($"deploy/publish.sh failed: {published.Describe()}");
    }
}
