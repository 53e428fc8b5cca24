namespace GeoDns.Files;

/// <summary>
/// Why a file the server must read cannot be read, in words that lead to the fix: the file, the user the server runs
/// as, and the permission missing. "Access to the path is denied" alone sends a user hunting for which user and why.
/// </summary>
public static class FileProblem
{
    /// <summary>"/etc/geodns/cookie-secret: cannot be read by user geodns: permission denied (mode 0600); …".</summary>
    public static string Describe(string path, Exception e) => $"{path}: {Why(path, e)}";

    /// <summary>The same without the path in front, for messages that name the file already ("file:line: …").</summary>
    public static string Why(string path, Exception e)
    {
        var user = Environment.UserName;
        return e switch
        {
            FileNotFoundException or DirectoryNotFoundException => "no such file",
            UnauthorizedAccessException => $"cannot be read by user {user}: permission denied{Mode(path)}; "
                + $"give that user read access, e.g. chgrp {user} {path} && chmod 0640 {path}",
            _ => e.Message,
        };
    }

    /// <summary>" (mode 0600)", or where the path cannot even be looked at, which directory is in the way.</summary>
    private static string Mode(string path)
    {
        if (OperatingSystem.IsWindows()) return "";
        try
        {
            var mode = (int)File.GetUnixFileMode(path);
            return $" (mode {Convert.ToString(mode, 8).PadLeft(4, '0')})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $" (a directory above it is not searchable by user {Environment.UserName})";
        }
    }
}
