using System.Collections.Concurrent;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// What deploy/publish.sh makes (self-contained single files of both programs), made once per RID and test run for
/// every test that needs it: a publish takes minutes on two cores, and the package test would otherwise repeat the one
/// the publish test makes. One RID at a time, as asked: the tests that install this machine's packages wait for its
/// RID only, not for linux-arm64 too. publish.sh builds in its own output directory, so this runs beside the other
/// tests; the directories are removed when the test process ends.
/// </summary>
public static class PublishedPrograms
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Published = new(StringComparer.Ordinal);

    /// <summary>The RID's output directory: <c>server/GeoDns.Server</c>, <c>sidecar/GeoDns.Sidecar</c>.</summary>
    public static Task<string> DirectoryAsync(string rid) => Published.GetOrAdd(rid, r => new(() => PublishAsync(r))).Value;

    private static async Task<string> PublishAsync(string rid)
    {
        var output = Directory.CreateTempSubdirectory("geodns-published-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(output, recursive: true); } catch (IOException) { } };
        var published = await Script.RunAsync(Repository.File("deploy/publish.sh"), ["--rid", rid, output], TimeSpan.FromMinutes(10));
        return published.ExitCode == 0 ? Path.Combine(output, rid) : throw new InvalidOperationException($"deploy/publish.sh --rid {rid} failed: {published.Describe()}");
    }
}
