using System.Diagnostics;
using System.Net;
using GeoDns.Testing;

namespace GeoDns.Sidecar.Tests.Delegation;

/// <summary>
/// A real knotd serving a parent zone on a loopback port, taking dynamic updates signed with one TSIG
/// key: the parent a delegate hook talks to, as BIND, Knot or PowerDNS would be at a registrar-free parent.
/// </summary>
public sealed class KnotParent : IDisposable
{
    private readonly Process _knot;
    private readonly string _config;

    public KnotParent(string directory, string zone, string zoneText, string keyName, string secret)
    {
        Port = NginxProcess.FreePort(IPAddress.Loopback);
        _config = KnotConfig.Write(directory, Port, keyName, secret, $"""
            acl:
              - id: delegate
                address: 127.0.0.1
                key: {keyName}
                action: update
            zone:
              - domain: {zone}
                file: "{directory}/{zone}.zone"
                storage: "{directory}"
                zonefile-sync: -1
                journal-content: changes
                acl: delegate
            """);
        File.WriteAllText(Path.Combine(directory, zone + ".zone"), zoneText);
        _knot = Process.Start(new ProcessStartInfo(Executables.Find("knotd") ?? "/usr/sbin/knotd", ["-c", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _knot.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _knot.BeginErrorReadLine();
        _knot.BeginOutputReadLine();
    }

    private readonly System.Text.StringBuilder _log = new();

    public int Port { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>What the parent hands a resolver for NAME TYPE, without recursion: dig's full text.</summary>
    public async Task<string> AskAsync(string name, string type) =>
        (await Script.RunAsync("dig", ["+norec", "+time=2", "+tries=1", "@127.0.0.1", "-p", Port.ToString(), name, type], TimeSpan.FromSeconds(10))).Stdout;

    /// <summary>Until the parent answers its own SOA (knotd loads the zone after binding).</summary>
    public async Task ReadyAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await AskAsync(".", "SOA")).Contains("status:", StringComparison.Ordinal) && (await AskAsync("example.com", "SOA")).Contains("status: NOERROR", StringComparison.Ordinal)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"knotd did not serve the parent zone\n{Log}");
    }

    public void Dispose()
    {
        if (!_knot.HasExited) _knot.Kill(entireProcessTree: true);
        _knot.WaitForExit(5000);
        _knot.Dispose();
    }
}
