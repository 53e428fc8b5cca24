using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Sidecar.Tests;

/// <summary>
/// A sidecar over two <see cref="FakeNameserver"/>s, shell-one-liner hooks that log to files, and
/// a fake clock: every wait of a rotation is under the test's control.
/// </summary>
public sealed class FakeSidecar : IDisposable
{
    public const string Pool = "app.example.com";

    private FakeSidecar(Action<SidecarOptions>? adjust)
    {
        Ns1 = new FakeNameserver(Pool).WithConfigEdge("edge-1", "192.0.2.1").WithConfigEdge("edge-2", "192.0.2.2");
        Ns2 = new FakeNameserver(Pool).WithConfigEdge("edge-1", "192.0.2.1").WithConfigEdge("edge-2", "192.0.2.2");
        Network = new FakeAdminNetwork(new Dictionary<string, FakeNameserver> { ["ns1.test:8053"] = Ns1, ["ns2.test:8053"] = Ns2 });
        Options = new SidecarOptions
        {
            Nameservers = ["http://ns1.test:8053", "http://ns2.test:8053/"],
            AdminToken = "admin-token",
            Token = "sidecar-token",
            Listen = "127.0.0.1:0",
            Pool = Pool,
            WireguardDir = Scratch["wg"],
            Data = Scratch["data"],
            Apply = $"echo applied >> '{Scratch["applied"]}'",
            TunnelCheck = new() { Command = "" }, // no WireGuard here; TunnelWatchTests set their own
            FirewallCheck = "", // the machine's own nftables is none of these tests' business; HomeFirewallTests set their own
            Hooks = new()
            {
                Create = $"echo \"$EDGE_NAME\" >> '{Scratch["created"]}'; printf '{{\"name\": \"%s\", \"ipv4\": \"192.0.2.50\", \"country\": \"DE\"}}' \"$EDGE_NAME\"",
                Provision = "test -s \"$EDGE_WG_CONF\" && test -s \"$EDGE_NGINX_CONF\"",
                Destroy = $"echo \"$EDGE_NAME $EDGE_IPV4\" >> '{Scratch["destroyed"]}'",
                Timeout = TimeSpan.FromSeconds(30),
            },
            Rotation = new()
            {
                PollInterval = TimeSpan.FromSeconds(1),
                UpTimeout = TimeSpan.FromSeconds(30),
                DrainPeriod = TimeSpan.FromSeconds(60),
                DownFor = TimeSpan.FromSeconds(20),
                Retries = 1,
                RetryDelay = TimeSpan.FromMilliseconds(10),
            },
            Edges =
            [
                new EdgeHost { Name = "edge-1", Ipv4 = "192.0.2.1", Country = "DE" },
                new EdgeHost { Name = "edge-2", Ipv4 = "192.0.2.2", Country = "SG", Weight = 2 },
            ],
        };
        adjust?.Invoke(Options);
        Session = Open();
    }

    public Scratch Scratch { get; } = new();
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
    public FakeNameserver Ns1 { get; }
    public FakeNameserver Ns2 { get; }
    public FakeAdminNetwork Network { get; }
    public SidecarOptions Options { get; }
    public SidecarSession Session { get; private set; }

    public static FakeSidecar Create(Action<SidecarOptions>? adjust = null) => new(adjust);

    /// <summary>Lines the hooks logged: created, destroyed, applied.</summary>
    public string[] Log(string name) => File.Exists(Scratch[name]) ? File.ReadAllLines(Scratch[name]) : [];

    /// <summary>A restarted sidecar: the session closed and a new one opened over the same state file.</summary>
    public SidecarSession Restart()
    {
        Session.Dispose();
        return Session = Open();
    }

    /// <summary>Moves the fake clock on in <paramref name="step"/>s until <paramref name="task"/> ends (bounded).</summary>
    public async Task<T> Drive<T>(Task<T> task, TimeSpan? step = null, int maxSteps = 2000)
    {
        for (var i = 0; !task.IsCompleted && i < maxSteps; i++)
        {
            await Task.WhenAny(task, Task.Delay(5));
            if (!task.IsCompleted) Time.Advance(step ?? TimeSpan.FromSeconds(1));
        }
        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Polls (in real time) until <paramref name="done"/> holds.</summary>
    public static async Task Until(Func<bool> done, string what, int timeoutMs = 10_000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"not reached: {what}");
            await Task.Delay(10);
        }
    }

    private SidecarSession Open()
    {
        var opened = SidecarSession.Open(Options, Time, NullLoggerFactory.Instance, Network);
        Assert.True(opened.Ok, opened.Error);
        opened.Value!.GenerateKeys = KeyPair.GenerateWithNSec;
        return opened.Value;
    }

    public void Dispose()
    {
        Session.Dispose();
        Scratch.Dispose();
    }
}
