using GeoDns.Sidecar.Admin;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.State;
using GeoDns.Sidecar.WireGuard;
using Microsoft.Extensions.Logging;
using Polly;

namespace GeoDns.Sidecar;

/// <summary>
/// The sidecar's parts over one opened state file: what every command works with. Disposing it
/// releases the state file, so another session (a restarted sidecar) can open it.
/// </summary>
public sealed class SidecarSession : IDisposable
{
    private readonly HttpClient _http;
    private readonly Nameservers? _nameservers;
    private readonly string? _nameserverProblem;

    private SidecarSession(SidecarOptions options, StateFile state, TunnelAddresses tunnel, NginxTemplate template, TimeProvider time, ILoggerFactory logs, HttpMessageHandler? http)
    {
        (Options, State, Tunnel, Time) = (options, state, tunnel, time);
        // Time limits come from the retry pipeline, per attempt; the client's own would cut across them.
        _http = http is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(http, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Inventory = new EdgeInventory(state, time);
        FleetState = new Fleet.FleetState(state);
        Journal = new RotationJournal(state, time);
        Files = new EdgeFiles(options.WireguardDir, options.Interface, tunnel, template, options.Nginx, options.HomeListenPort, options.Signals);
        Provider = new EdgeProvider(options.Hooks, options.Rotation, time, Path.Combine(options.Data, KnownHostsFile),
            name => Inventory.Find(name)?.Tunnel, options.Nginx.CertificateDir);
        Apply = new ApplyCommand(options.Apply, options.Interface, time);
        ApplyRetry = RetryPipeline.Build<Outcome>(options.Rotation, time, ApplyCommand.Timeout, o => o.Retryable);
        var token = options.AdminTokenValue();
        if (token.Ok)
            _nameservers = new Nameservers(options.Nameservers.Select(u => new NameserverClient(new Uri(u), token.Value!, _http)).ToList(), options.Pool, options.Rotation, time);
        else
            _nameserverProblem = token.Error;
        Engine = new RotationEngine(this, logs.CreateLogger<RotationEngine>());
    }

    /// <summary>The one HTTP client for the nameservers' admin APIs and the edges' signals (a test's handler stands in for the network).</summary>
    internal HttpClient Http => _http;

    /// <summary>In the data directory: the edges' SSH host keys, pinned by the provision hook under each edge's name.</summary>
    public const string KnownHostsFile = "known_hosts";

    public SidecarOptions Options { get; }
    public StateFile State { get; }
    public TimeProvider Time { get; }
    public TunnelAddresses Tunnel { get; }
    public EdgeInventory Inventory { get; }
    public Fleet.FleetState FleetState { get; }
    public RotationJournal Journal { get; }
    public EdgeFiles Files { get; }
    public EdgeProvider Provider { get; }
    public ApplyCommand Apply { get; }
    public ResiliencePipeline<Outcome> ApplyRetry { get; }
    public RotationEngine Engine { get; }

    /// <summary>What the state file corrected in sidecar.json's fleet, by nameserver: one listed at an address a rotation replaced.</summary>
    public IReadOnlyDictionary<string, string> FleetNotes { get; private init; } = new Dictionary<string, string>();

    /// <summary>The nameservers; rotating without them configured is a config error, found before any step.</summary>
    public Nameservers Nameservers => _nameservers ?? throw new InvalidOperationException(_nameserverProblem);

    /// <summary>Why rotations cannot run, or null when they can.</summary>
    public string? RotationProblem => _nameserverProblem;

    /// <summary>Generates key pairs; a test may swap in a faster or fixed source.</summary>
    public Func<KeyPair> GenerateKeys { get; set; } = () => KeyPair.Generate();

    public KeyPair HomeKeys => Inventory.HomeKeys(GenerateKeys);

    /// <summary>Each nameserver tunnel with its key pair (generated on first use).</summary>
    public IReadOnlyList<(Control.NameserverTunnel Tunnel, KeyPair Keys)> NameserverTunnels =>
        Options.NameserverTunnels.Select(t => (t, Inventory.NameserverKeys(t.Name, GenerateKeys))).ToList();

    /// <summary>Rewrites the home's WireGuard config from the inventory and the nameserver tunnels.</summary>
    public string WriteHome() => Files.WriteHome(HomeKeys, Inventory.All(), NameserverTunnels);

    /// <summary>Opens the state under <paramref name="options"/>' data directory and seeds it with the config's edges; <paramref name="http"/> stands in for the network in tests.</summary>
    public static Outcome<SidecarSession> Open(SidecarOptions options, TimeProvider time, ILoggerFactory logs, HttpMessageHandler? http = null)
    {
        if (options.Problems() is { Count: > 0 } problems) return Outcome<SidecarSession>.Failed(string.Join("\n", problems));
        var template = NginxTemplate.Load(options.Nginx);
        if (!template.Ok) return Outcome<SidecarSession>.Failed(template.Error!);
        var state = StateFile.Open(options.Data);
        if (!state.Ok) return Outcome<SidecarSession>.Failed(state.Error!);
        // The nameservers bootstrap bought or a rotation moved have their addresses in the state, not the config.
        var fleet = new Fleet.FleetState(state.Value!);
        var notes = fleet.Fill(options.Fleet);
        options.FollowFleet();
        var session = new SidecarSession(options, state.Value!, TunnelAddresses.Parse(options.TunnelNetwork, out _)!, template.Value!, time, logs, http) { FleetNotes = notes };
        session.Inventory.Seed(options.Edges);
        return Outcome<SidecarSession>.Success(session);
    }

    /// <summary>Gives every edge keys and a tunnel address, and writes the home's, every edge's and every nameserver tunnel's files (<c>keys</c>, <c>wg render</c>).</summary>
    public Outcome RenderAll()
    {
        var completed = Inventory.Complete(Tunnel, GenerateKeys);
        if (!completed.Ok) return completed;
        var home = HomeKeys;
        WriteHome();
        foreach (var (nameserver, index) in NameserverTunnels.Select((n, i) => (n, i)))
            Files.WriteNameserver(nameserver.Tunnel, index, nameserver.Keys, home);
        foreach (var edge in Inventory.All().Where(e => e.HoldsTunnel))
        {
            var written = Files.WriteEdge(edge, home);
            if (!written.Ok) return written;
        }
        return WriteFleet();
    }

    /// <summary>Where nameserver NAME's files go: <c>DATA/fleet/NAME/</c>, everything it runs with but its tunnel config.</summary>
    public string FleetPath(string nameserver) => Path.Combine(Options.Data, "fleet", nameserver);

    /// <summary>Each fleet nameserver's files (<see cref="Fleet.NameserverBundle"/>); nothing without a fleet, or before bootstrap bought every nameserver (each names the others' addresses).</summary>
    private Outcome WriteFleet()
    {
        var fleet = Options.Fleet;
        if (!fleet.Configured || fleet.Nameservers.Any(n => !n.Exists)) return Outcome.Success;
        var token = Options.AdminTokenSecret();
        if (!token.Ok) return Outcome.Failed($"the nameservers' files need the admin token: {token.Error}");
        var alertSecrets = Fleet.NameserverBundle.AlertSecrets(Options.Alerts);
        if (!alertSecrets.Ok) return Outcome.Failed($"the nameservers' files carry the alert channels' secrets: {alertSecrets.Error}");
        var secret = FleetState.TransferSecret();
        for (var i = 0; i < fleet.Nameservers.Count; i++)
            Fleet.NameserverBundle.Render(fleet, i, Options.Pool, Tunnel, token.Value!, secret, Options.Alerts, alertSecrets.Value!).Write(FleetPath(fleet.Nameservers[i].Name));
        return Outcome.Success;
    }

    public void Dispose()
    {
        _http.Dispose();
        State.Dispose();
    }
}
