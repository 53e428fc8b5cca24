using GeoDns.Persistence;

namespace GeoDns.Server;

/// <summary>The state file (drains, forced states, added edges, transitions) in the data directory, opened for the service.</summary>
internal static class StateFile
{
    /// <summary>Opens it, starting afresh when it is damaged (<paramref name="loss"/> says what that cost); a data directory the
    /// service user cannot write is named with that user, not as "access denied".</summary>
    public static HealthStore Open(string data, TimeProvider time, out string? loss)
    {
        try
        {
            return StoreRecovery.Open(data, time, out loss);
        }
        catch (UnauthorizedAccessException)
        {
            var directory = Path.GetFullPath(data);
            throw new IOException($"data directory {directory}: cannot be written by user {Environment.UserName}: permission denied; give it to that user (chown -R {Environment.UserName} {directory})");
        }
    }
}
