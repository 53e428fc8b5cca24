using System.Security.Cryptography;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// The nameserver packages the state records, kept in <c>DATA/packages/</c> (owner-only): a package given as
/// <c>/tmp/geodns_1.2_amd64.deb</c> is gone after a reboot, and without it bootstrap and rotate could not install a
/// nameserver again with what it runs, nor upgrade roll one back. Each copy sits in a directory named after its content
/// (<c>DATA/packages/1a2b…/geodns_1.2_amd64.deb</c>): the file name still carries the version, and a rebuild under the
/// same name never replaces a copy the state points at.
/// </summary>
public static class NameserverPackages
{
    public static string Root(string data) => Path.Combine(Path.GetFullPath(data), "packages");

    /// <summary>The kept copy of <paramref name="package"/>, copied now unless it is there already.</summary>
    public static string Keep(string data, string package)
    {
        package = Path.GetFullPath(package);
        var root = Root(data);
        if (package.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return package;
        string digest;
        using (var stream = File.OpenRead(package)) digest = Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        var kept = Path.Combine(root, digest, Path.GetFileName(package));
        if (File.Exists(kept)) return kept;
        OwnerOnly(root);
        OwnerOnly(Path.GetDirectoryName(kept)!);
        // Copied aside, then renamed: a copy cut short is never taken for the package.
        var partial = kept + $".{Environment.ProcessId}.partial";
        File.Copy(package, partial, overwrite: true);
        File.Move(partial, kept, overwrite: true);
        return kept;
    }

    private static void OwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(directory);
        else System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
