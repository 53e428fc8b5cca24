using System.Globalization;
using LiteDB;

namespace GeoDns.Storage;

/// <summary>
/// A LiteDB file opened in direct mode, with a lock file beside it held exclusively while open. LiteDB's
/// direct mode does not keep a second opener out on Linux, so without ours a second process (a second
/// GeoDns, or a second sidecar whose rotation would buy a second VPS) could write the file at once and
/// corrupt it. One source for the server's store and the sidecar's state: the file is linked into both.
/// </summary>
internal sealed class LiteFile : IDisposable
{
    public const int PageSize = 8192;

    private readonly FileStream _lock;

    /// <param name="ownerOnly">Directory 0700 and file 0600 from the first byte on, for a file that holds private keys
    /// (LiteDB's transient log file beside it holds the same pages, hence the directory).</param>
    /// <exception cref="IOException">The lock is held, or the file cannot be opened.</exception>
    /// <exception cref="InvalidDataException">The file is too short to be a LiteDB file (LiteDB would overwrite it).</exception>
    public LiteFile(string path, bool ownerOnly = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (ownerOnly && !OperatingSystem.IsWindows()) Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        else Directory.CreateDirectory(directory);
        var lockPath = path + ".lock";
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{lockPath} is held: another process has the file open ({e.Message})", e);
        }
        try
        {
            // LiteDB takes a file shorter than a page for a new database and overwrites it: refuse instead.
            if (new FileInfo(path) is { Exists: true, Length: > 0 and < PageSize } partial)
                throw new InvalidDataException($"it is {partial.Length} bytes, too short to be a LiteDB file ({PageSize} at least)");
            if (ownerOnly && !File.Exists(path))
            {
                // Created empty and owner-only before LiteDB writes the first key into it.
                File.Create(path).Dispose();
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            Database = new LiteDatabase(new ConnectionString
            {
                Filename = path,
                Connection = ConnectionType.Direct,
                // Fixed when the file is created, so it matches names the same whatever the host's culture.
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.OrdinalIgnoreCase),
            });
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    public LiteDatabase Database { get; }

    /// <summary>Whether a running process holds the lock of the file at <paramref name="path"/> (looked at without keeping it).</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path + ".lock")) return false;
        try
        {
            using var probe = new FileStream(path + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        Database.Dispose();
        _lock.Dispose();
    }
}
