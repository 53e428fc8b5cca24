namespace GeoDns.Files;

/// <summary>
/// A file of ours that no longer parses is moved aside, never deleted or overwritten: the server starts fresh
/// without it, and whoever looks later still has the bytes. The name is the one the state file gets
/// (<c>NAME.damaged-yyyyMMdd-HHmmss</c>), so one <c>ls *.damaged-*</c> finds them all.
/// </summary>
public static class DamagedFile
{
    /// <summary>Moves <paramref name="path"/> aside and returns where to; a second one within the same second gets a suffix.</summary>
    /// <exception cref="IOException">The file could not be moved (it is then left where it is).</exception>
    public static string MoveAside(string path, DateTimeOffset now)
    {
        var aside = $"{path}.damaged-{now.UtcDateTime:yyyyMMdd-HHmmss}";
        for (var n = 2; File.Exists(aside) && n < 100; n++) aside = $"{path}.damaged-{now.UtcDateTime:yyyyMMdd-HHmmss}-{n}";
        File.Move(path, aside);
        return aside;
    }
}
