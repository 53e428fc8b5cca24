using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>A real knotd, secondary of one GeoDns zone, on a loopback port in a temp directory of its own.</summary>
public sealed class KnotSecondary : IDisposable
{
    private readonly ExternalTool.Daemon _daemon;

    public KnotSecondary(string directory, int port, string zone, int primaryPort, string keyName, string secret)
    {
        Directory = directory;
        Port = port;
        var config = KnotConfig.Write(directory, port, keyName, secret, $"""
            remote:
              - id: geodns
                address: 127.0.0.1@{primaryPort}
                key: {keyName}
            acl:
              - id: notify_from_geodns
                address: 127.0.0.1
                key: {keyName}
                action: notify
            template:
              - id: default
                storage: "{directory}"
                zonefile-sync: -1
                zonefile-load: none
            zone:
              - domain: {zone}
                master: geodns
                acl: notify_from_geodns
            """);
        _daemon = new ExternalTool.Daemon("knotd", ["-c", config]);
    }

    public string Directory { get; }
    public int Port { get; }
    public string Log => _daemon.Log;

    /// <summary>kdig against this Knot: the short answer lines.</summary>
    public async Task<string> ShortAsync(string name, string type) =>
        (await ExternalTool.RunAsync("kdig", [$"@127.0.0.1", "-p", Port.ToString(), name, type, "+short", "+time=1", "+retry=0"]))!.Output.Trim();

    public void Dispose() => _daemon.Dispose();
}
