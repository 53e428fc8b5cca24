using GeoDns.Alerts;
using GeoDns.Files;

namespace GeoDns.Server.Alerts;

/// <summary>
/// <c>alerts</c> in geodns.json: the channels, grouping and retries the sidecar's alerts have, and when this
/// nameserver speaks for the home (<see cref="HomeSilentAfter"/>). Nothing is sent without a channel.
/// </summary>
public sealed class NameserverAlertOptions : AlertOptions
{
    /// <summary>
    /// No request with the admin token for this long means the home is down or cut off (its sidecar asks every few
    /// seconds), and this nameserver says so on its channels; 0 turns that off.
    /// </summary>
    public TimeSpan HomeSilentAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The problems, each keyed <c>alerts.…</c>; the channels' secret files must be readable now (relative ones are
    /// found beside <paramref name="configFile"/>), or the first alert would fail hours later, when it matters.
    /// </summary>
    public IEnumerable<string> Validate(string? configFile)
    {
        foreach (var problem in Problems()) yield return problem;
        if (HomeSilentAfter != TimeSpan.Zero && HomeSilentAfter < TimeSpan.FromSeconds(1))
            yield return $"alerts.homeSilentAfter: {HomeSilentAfter} is neither 0 (off) nor 1 s or more";
        var resolved = Resolved(configFile).Channels;
        for (var i = 0; i < resolved.Count; i++)
            foreach (var (key, file) in new[] { ("tokenFile", resolved[i].TokenFile), ("passwordFile", resolved[i].PasswordFile) })
                if (file is not null && Unreadable(file) is { } why) yield return $"alerts.channels[{i}].{key}: {why}";
    }

    /// <summary>
    /// These options as the channels use them: secret files relative to the config file's directory, as
    /// <c>exchange.keyFiles</c> are (the fleet's bundle names them so).
    /// </summary>
    public AlertOptions Resolved(string? configFile)
    {
        var directory = configFile is null ? "." : Path.GetDirectoryName(Path.GetFullPath(configFile))!;
        string? Rooted(string? file) => file is null || Path.IsPathRooted(file) ? file : Path.Combine(directory, file);
        return new AlertOptions
        {
            GroupWindow = GroupWindow,
            RetryDelay = RetryDelay,
            MaxRetryDelay = MaxRetryDelay,
            GiveUpAfter = GiveUpAfter,
            Channels = [.. Channels.Select(c => new AlertChannelOptions
            {
                Type = c.Type, Name = c.Name, Url = c.Url, TokenFile = Rooted(c.TokenFile), Host = c.Host, Port = c.Port, Security = c.Security,
                Username = c.Username, PasswordFile = Rooted(c.PasswordFile), From = c.From, To = c.To,
            })],
        };
    }

    private static string? Unreadable(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim() == "" ? $"{file} is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileProblem.Describe(file, e);
        }
    }
}
