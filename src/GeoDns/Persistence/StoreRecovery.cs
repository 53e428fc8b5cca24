using GeoDns.Files;
using GeoDns.Storage;

namespace GeoDns.Persistence;

/// <summary>
/// Opens the state file so that it can never take DNS down. The file holds only drains, forced
/// states, added edges and history; the zones and the config are served without it. So a missing,
/// empty, truncated or corrupt file is moved aside (never modified in place: it is checked on a copy
/// first), a fresh one started, and the loss described in <see cref="Loss"/> for the log, /healthz and /metrics.
/// </summary>
public static class StoreRecovery
{
    /// <summary>Written beside the store when it is created: a store that was there and is now missing or empty is a loss, not a first start.</summary>
    public const string MarkerName = HealthStore.FileName + ".created";

    /// <summary>Opens the store of <paramref name="dataDirectory"/>; <paramref name="loss"/> says what was lost, null when nothing.</summary>
    /// <exception cref="IOException">Another process holds the store (its lock file), or the directory cannot be written.</exception>
    public static HealthStore Open(string dataDirectory, TimeProvider time, out string? loss)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, HealthStore.FileName);
        var marker = Path.Combine(directory, MarkerName);
        // First: a store another instance has open is neither damaged nor ours to move aside.
        if (LiteFile.IsHeld(path))
            throw new IOException($"data directory {directory} is in use by another running GeoDns (it holds {path}.lock); stop it, or give each instance its own --data directory");
        var file = new FileInfo(path);
        loss = null;
        if (File.Exists(marker) && (!file.Exists || file.Length == 0))
            loss = $"{path} is {(file.Exists ? "empty" : "missing")}, but a store was created here on {File.ReadAllText(marker).Trim()}: every drain, forced state and added edge it held is lost";
        else if (file.Exists && Damage(path) is { } damage)
        {
            var aside = DamagedFile.MoveAside(path, time.GetUtcNow());
            if (File.Exists(LogPath(path))) File.Move(LogPath(path), aside + "-log");
            loss = $"{path} could not be read ({damage}); moved aside to {aside}, a fresh store started: its drains, forced states and added edges are lost until restored";
        }
        if (file.Exists && file.Length == 0) File.Delete(path); // an empty file is no store; LiteDB starts a new one in its place
        var store = new HealthStore(directory, time);
        if (!File.Exists(marker)) File.WriteAllText(marker, time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss 'UTC'") + "\n");
        return store;
    }

    /// <summary>LiteDB's write-ahead log beside the data file (<c>geodns-log.db</c>).</summary>
    public static string LogPath(string path) => Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    /// <summary>Why the store at <paramref name="path"/> cannot be used, or null; found by opening and reading a copy, so the file itself is untouched.</summary>
    private static string? Damage(string path)
    {
        var scratch = Directory.CreateTempSubdirectory("geodns-check-");
        try
        {
            var copy = Path.Combine(scratch.FullName, HealthStore.FileName);
            File.Copy(path, copy);
            if (File.Exists(LogPath(path))) File.Copy(LogPath(path), LogPath(copy));
            using var store = new HealthStore(scratch.FullName, TimeProvider.System);
            _ = store.Overrides();
            _ = store.Emergencies();
            _ = store.EmergencyEvents(int.MaxValue);
            _ = store.Edges();
            _ = store.Transitions(0, int.MaxValue);
            _ = store.AlertsFiring();
            _ = store.Alerts(int.MaxValue);
            return null;
        }
        catch (Exception e)
        {
            return (e.InnerException ?? e).Message;
        }
        finally
        {
            try { scratch.Delete(recursive: true); }
            catch (IOException) { } // a temp directory left behind is not worth failing the start
        }
    }
}
