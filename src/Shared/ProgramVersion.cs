using System.Reflection;

namespace GeoDns.Configuration;

/// <summary>
/// The version both programs report (<c>--version</c>, <c>/healthz</c>, the start log) and the one time format
/// of their logs. One source file compiled into the server and the sidecar (src/Shared).
/// </summary>
public static class ProgramVersion
{
    /// <summary>"0.9.0+1a2b3c4" (the build's version and the commit it was built from, when known).</summary>
    public static string Text { get; } = Read();

    /// <summary>ISO 8601 with the offset, as the admin API writes times: one format across logs and APIs.</summary>
    public const string LogTimestamp = "yyyy-MM-dd'T'HH:mm:sszzz ";

    private static string Read()
    {
        var version = typeof(ProgramVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        // The SDK appends the full commit hash after '+'; seven characters name it as git does.
        var plus = version.IndexOf('+');
        return plus >= 0 && version.Length > plus + 8 ? version[..(plus + 8)] : version;
    }
}
