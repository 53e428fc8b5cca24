using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GeoDns.Sidecar.Hooks;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// deploy/hooks/local for a test: its own 127.a.b.0/24 block (parallel tests never meet), a free
/// port, a state directory; on dispose it stops every listener it started, by the pids it wrote.
/// </summary>
public sealed class LocalProvider : IDisposable
{
    public LocalProvider(Scratch scratch)
    {
        State = scratch["local-edges"];
        Prefix = $"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.";
        var probe = new TcpListener(IPAddress.Parse(Prefix + "11"), 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public string State { get; }
    public string Prefix { get; }
    public int Port { get; }

    public Dictionary<string, string> Environment => new()
    {
        ["EDGE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LOCAL_EDGE_STATE"] = State,
        ["LOCAL_EDGE_PREFIX"] = Prefix,
        ["LOCAL_EDGE_LIFETIME"] = "120",
    };

    public static string Hook(string name) => Repository.File($"deploy/hooks/local/{name}.sh");

    /// <summary>Lines of the provider's logs: created.log counts VPS actually made.</summary>
    public string[] Log(string name) => File.Exists(Path.Combine(State, name)) ? File.ReadAllLines(Path.Combine(State, name)) : [];

    /// <summary>Starts an edge as the create hook does, at a chosen address (the edges that exist before any rotation).</summary>
    public async Task StartAsync(string name, string address)
    {
        var variables = Environment;
        variables["EDGE_NAME"] = name;
        variables["LOCAL_EDGE_ADDRESS"] = address;
        variables["GEODNS_SIDECAR"] = EdgeProvider.SelfCommand();
        var result = await ShellCommand.RunAsync(Hook("create"), variables, TimeSpan.FromSeconds(20), TimeProvider.System);
        Assert.True(result.Succeeded, result.Describe());
        await Until(() => Accepts(address), $"{name} listening on {address}:{Port}");
    }

    public bool Accepts(string address)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Parse(address), Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task Until(Func<bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!Directory.Exists(State)) return;
        foreach (var pidFile in Directory.GetFiles(State, "*.pid"))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }
    }
}
