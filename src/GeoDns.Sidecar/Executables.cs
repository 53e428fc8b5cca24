namespace GeoDns.Sidecar;

/// <summary>Finds programs on PATH, so optional tools (wg, wg-quick, nginx) are used only where installed.</summary>
public static class Executables
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin"];

    public static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        // Daemons like nginx live in sbin, which a non-root PATH often lacks.
        return SystemDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
