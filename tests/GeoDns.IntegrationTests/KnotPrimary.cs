using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>A real knotd as primary of one zone on a loopback port: transfers need the key, it NOTIFYs GeoDns on each change.</summary>
public sealed class KnotPrimary : IDisposable
{
    private readonly string _config;
    private readonly ExternalTool.Daemon _daemon;

    public KnotPrimary(string directory, int port, string zone, string zoneText, int notifyPort, string keyName, string secret)
    {
        ZoneFile = Path.Combine(directory, zone + ".zone");
        _config = KnotConfig.Write(directory, port, keyName, secret, $"""
            remote:
              - id: geodns
                address: 127.0.0.1@{notifyPort}
                key: {keyName}
            acl:
              - id: transfer_to_geodns
                address: 127.0.0.1
                key: {keyName}
                action: transfer
            zone:
              - domain: {zone}
                file: "{ZoneFile}"
                storage: "{directory}"
                zonefile-load: difference
                journal-content: changes
                notify: geodns
                acl: transfer_to_geodns
            """);
        File.WriteAllText(ZoneFile, zoneText);
        _daemon = new ExternalTool.Daemon("knotd", ["-c", _config]);
    }

    public string ZoneFile { get; }
    public string Log => _daemon.Log;

    /// <summary>Re-reads the zone file; Knot journals the difference (for IXFR) and NOTIFYs.</summary>
    public Task<ExternalTool.Result?> ReloadAsync() => ExternalTool.RunAsync("knotc", ["-c", _config, "zone-reload"]);

    public void Dispose() => _daemon.Dispose();
}
