using System.Diagnostics;
using GeoDns.Server;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The server binary as a service user that is not root, as the guide runs it: a secret file left root-only, and a
/// port below 1024 without the capability, each refused with the file (or address), the user and the fix. Needs root
/// (to hand the files to root and run as nobody through setpriv); CI runs as root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServiceUserTests
{
    private const string User = "nobody";

    [SkippableFact]
    public void CookieSecretRootOnly_RefusedNamingFileUserAndMode()
    {
        using var directory = Prepare();
        var secret = directory.Write("cookie-secret", "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        directory.Write("geodns.json", $$"""{ "cookies": { "secretFile": "{{secret}}" } }""");

        var (exitCode, output) = RunAsUser(directory, "--config", directory["geodns.json"], "--listen", "127.0.0.1:0");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{secret}: cannot be read by user {User}: permission denied (mode 0600); give that user read access", output);
    }

    [SkippableFact]
    public void PortBelow1024WithoutTheCapability_RefusedNamingTheCapability()
    {
        Skip.IfNot(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim() == "1024", "this kernel lets any user bind low ports");
        using var directory = Prepare();

        var (exitCode, output) = RunAsUser(directory, "--listen", "127.0.0.1:53");

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot listen on 127.0.0.1:53: permission denied; ports below 1024 need CAP_NET_BIND_SERVICE", output);
    }

    /// <summary>A directory the service user can reach: the server's build, a zone, and a data directory it may write.</summary>
    private static TempDirectory Prepare()
    {
        Skip.If(Environment.UserName != "root", "runs the server as another user: needs root (CI runs as root)");
        Skip.If(Executables("setpriv") is null, "setpriv is missing");
        var directory = new TempDirectory();
        directory.Write("zones/example.com.zone", TestServer.ExampleZone);
        var built = Path.GetDirectoryName(typeof(DnsService).Assembly.Location)!;
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var copy = directory[Path.Combine("bin", Path.GetRelativePath(built, file))];
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        Directory.CreateDirectory(directory["data"]);
        foreach (var path in Directory.EnumerateFileSystemEntries(directory.Path, "*", SearchOption.AllDirectories).Append(directory.Path))
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | (Directory.Exists(path) ? UnixFileMode.OtherExecute : 0));
        File.SetUnixFileMode(directory["data"], (UnixFileMode)0b111_111_111);
        return directory;
    }

    private static (int ExitCode, string Output) RunAsUser(TempDirectory directory, params string[] args)
    {
        var start = new ProcessStartInfo("setpriv", ["--reuid", User, "--regid", "nogroup", "--clear-groups", "dotnet",
            directory[Path.Combine("bin", Path.GetFileName(typeof(DnsService).Assembly.Location))],
            "--zones", directory["zones"], "--data", directory["data"], "--admin", "off", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = directory["data"];
        start.Environment["DOTNET_CLI_HOME"] = directory["data"];
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server did not exit");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? Executables(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
