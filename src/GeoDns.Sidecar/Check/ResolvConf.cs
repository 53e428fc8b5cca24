using System.Net;

namespace GeoDns.Sidecar.Check;

/// <summary>The system's resolver, as the C library finds it: the first <c>nameserver</c> line of /etc/resolv.conf.</summary>
public static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    public static IPAddress? FirstNameserver(string path = DefaultPath)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                // A scoped IPv6 address (fe80::1%eth0) parses too; anything else is skipped as libc skips it.
                if (fields is ["nameserver", var address, ..] && IPAddress.TryParse(address, out var parsed)) return parsed;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No resolv.conf: no default resolver, which the resolver and parent lines then say.
        }
        return null;
    }
}
