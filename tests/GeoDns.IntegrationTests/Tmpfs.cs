using System.Diagnostics;

namespace GeoDns.IntegrationTests;

/// <summary>A small tmpfs mounted (as root) on a directory, to run the server out of disk for real; unmounted on dispose.</summary>
public sealed class Tmpfs : IDisposable
{
    private readonly string _directory;

    private Tmpfs(string directory) => _directory = directory;

    /// <summary>Mounts <paramref name="size"/> (e.g. "256k") on <paramref name="directory"/>; null with the reason when it cannot (not root, no mount).</summary>
    public static Tmpfs? TryMount(string directory, string size, out string why)
    {
        why = "";
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") { why = "mounting a tmpfs needs root on Linux"; return null; }
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", directory);
        if (code == 0) return new Tmpfs(directory);
        why = $"mount -t tmpfs failed: {output}";
        return null;
    }

    /// <summary>Writes zeros into <paramref name="file"/> until the disk refuses (at most 64 MB: a tmpfs that big is not ours).</summary>
    public static void Fill(string file)
    {
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[4096];
        try
        {
            for (var i = 0; i < 16_384; i++) stream.Write(block);
        }
        catch (IOException)
        {
            return; // full
        }
        throw new InvalidOperationException($"{file}: 64 MB written and the disk is still not full");
    }

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExternalTool.PathOf(tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000)) process.Kill();
        return (process.HasExited ? process.ExitCode : -1, output);
    }

    public void Dispose()
    {
        // Lazily if still busy (a file a stopping server holds open): the mount goes once nothing uses it.
        if (Run("umount", _directory).Code != 0) Run("umount", "-l", _directory);
    }
}
