using System.Net;

namespace GeoDns.Server.Admin;

/// <summary>The admin endpoint as it will run: where it listens (null: off) and the token changes need (null: none, so no changes).</summary>
public sealed record AdminSettings(IPEndPoint? Endpoint, string? Token)
{
    public const string TokenVariable = "GEODNS_ADMIN_TOKEN";

    /// <summary>
    /// Reads the admin options; the token comes from <see cref="TokenVariable"/> if set (the environment
    /// overrides the file, as the command line does), else <c>adminTokenFile</c>, else <c>adminToken</c>.
    /// Null with <paramref name="error"/> when the options are unusable, above all an endpoint reachable
    /// beyond this machine with no token: its reads would be open to anyone who can reach it.
    /// </summary>
    public static AdminSettings? Resolve(ServerOptions options, Func<string, string?> environment, out string error)
    {
        error = "";
        if (options.Admin is "" or "off") return new AdminSettings(null, null);
        if (!IPEndPoint.TryParse(options.Admin, out var endpoint) || !options.Admin.Contains(':'))
            return Fail(out error, $"admin address '{options.Admin}' is not ADDR:PORT (e.g. 127.0.0.1:8053), or 'off'");
        if (options.AdminToken is not null && options.AdminTokenFile is not null)
            return Fail(out error, "give adminToken or adminTokenFile, not both");
        string? token;
        if (environment(TokenVariable) is { Length: > 0 } fromEnvironment) token = fromEnvironment;
        else if (options.AdminTokenFile is { } file)
        {
            try
            {
                token = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(out error, $"adminTokenFile {GeoDns.Files.FileProblem.Describe(file, e)}");
            }
            if (token.Length == 0) return Fail(out error, $"adminTokenFile '{file}' is empty");
        }
        else token = options.AdminToken;
        if (token is not null && string.IsNullOrWhiteSpace(token)) return Fail(out error, "adminToken is empty");
        if (token is null && !IPAddress.IsLoopback(endpoint.Address))
            return Fail(out error, $"the admin endpoint {endpoint} is reachable beyond this machine but no token is set: set adminToken, adminTokenFile or {TokenVariable}, or bind it to 127.0.0.1");
        return new AdminSettings(endpoint, token?.Trim());
    }

    private static AdminSettings? Fail(out string error, string message)
    {
        error = message;
        return null;
    }

    /// <summary>Never the token itself: records print their members, and this one ends up in logs.</summary>
    public override string ToString() => $"admin {(Endpoint?.ToString() ?? "off")}, token {(Token is null ? "not set" : "set")}";
}
