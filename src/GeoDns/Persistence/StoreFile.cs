using System.Globalization;
using LiteDB;

namespace GeoDns.Persistence;

/// <summary>
/// The LiteDB file, opened in direct mode, and a lock file beside it held exclusively while open.
/// LiteDB's direct mode does not keep a second opener out on Linux, so without ours a second GeoDns process
/// (or a second store in this one) could write the same file at once and corrupt it.
/// </summary>
internal sealed class StoreFile : IDisposable
{
    private const int PageSize = 8192;
    private readonly FileStream _lock;

    public StoreFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lockPath = path + ".lock";
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{lockPath} is held: another store has the file open ({e.Message})", e);
        }
        try
        {
            // LiteDB takes a file shorter than a page for a new database and overwrites it: refuse instead.
            if (new FileInfo(path) is { Exists: true, Length: > 0 and < PageSize } partial)
                throw new InvalidDataException($"it is {partial.Length} bytes, too short to be a LiteDB file ({PageSize} at least)");
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

    public void Dispose()
    {
        Database.Dispose();
        _lock.Dispose();
    }
}
