using GeoDns.Configuration;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDns.Sidecar.Control;
using GeoDns.Sidecar.Hooks;
using GeoDns.Sidecar.Nginx;
using GeoDns.Sidecar.Rotation;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar;

/// <summary>The sidecar's JSON config (<c>--config sidecar.json</c>); deploy/hooks/local/sidecar.json is a working example.</summary>
public sealed class SidecarOptions
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new DurationConverter(), new JsonStringEnumConverter() },
    };

    /// <summary>Admin base URLs of every nameserver, e.g. <c>http://127.0.0.1:8053</c>.</summary>
    public List<string> Nameservers { get; set; } = [];

    /// <summary>The nameservers' admin bearer token, or (better: it stays out of the config) a file holding it.</summary>
    public string? AdminToken { get; set; }
    public string? AdminTokenFile { get; set; }

    /// <summary>The pool the edges serve, e.g. <c>app.example.com</c>.</summary>
    public string Pool { get; set; } = "";

    /// <summary>Home is .1, edges from .10 up.</summary>
    public string TunnelNetwork { get; set; } = "10.77.0.0/24";

    /// <summary>
    /// The home's WireGuard interface, which root brings up from its own config (deploy/home/wg0.conf);
    /// the sidecar writes its peers to <c>wireguardDir/INTERFACE.peers</c> and applies them. One name per machine.
    /// </summary>
    public string Interface { get; set; } = "wg0";

    /// <summary>The home's WireGuard source port: fixed, so that applying a new config keeps every tunnel (nothing is forwarded to it).</summary>
    public int HomeListenPort { get; set; } = HomeConfig.DefaultListenPort;

    /// <summary>Nameservers the home dials over WireGuard for their admin API (tunnel addresses .2 to .9, in order).</summary>
    public List<NameserverTunnel> NameserverTunnels { get; set; } = [];

    /// <summary>Where the home's INTERFACE.peers and each edge's and nameserver's files are written.</summary>
    public string WireguardDir { get; set; } = "wireguard";

    /// <summary>Loads the home's peers file ($WG_CONF) into the interface ($WG_INTERFACE); empty: do not apply.</summary>
    public string? Apply { get; set; } = ApplyCommand.Default;

    /// <summary>
    /// Prints the home's WireGuard firewall (deploy/home/geodns-home.nft), checked at <c>run</c>'s start and by
    /// <c>status</c>: missing, it is logged as an error and the sidecar runs on. Empty: not checked.
    /// </summary>
    public string? FirewallCheck { get; set; } = Firewall.HomeFirewall.DefaultCommand;

    public HookOptions Hooks { get; set; } = new();
    public RotationPolicy Rotation { get; set; } = new();
    public Daemon.TunnelCheckOptions TunnelCheck { get; set; } = new();
    public NginxOptions Nginx { get; set; } = new();
    public Check.CheckOptions Check { get; set; } = new();

    /// <summary>What each edge reports of itself through its tunnel, and how much of it <c>run</c> keeps.</summary>
    public Signals.SignalsOptions Signals { get; set; } = new();

    /// <summary>When <c>run</c> calls an edge attacked, and what it does then.</summary>
    public Daemon.AttackOptions Attack { get; set; } = new();

    /// <summary>
    /// The <c>run</c> daemon's endpoint (the fleet panel, <c>POST /v1/rotate/{edge}</c>): loopback by default. Beyond
    /// loopback (a LAN address, for a phone at home) every request needs the token (<see cref="Daemon.EndpointAccess"/>).
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:8054";

    /// <summary>Bearer token of that endpoint, or a file holding it.</summary>
    public string? Token { get; set; }
    public string? TokenFile { get; set; }

    /// <summary>Directory of the state file (keys, edges, journal); <c>--data</c> overrides.</summary>
    public string Data { get; set; } = "sidecar-data";

    /// <summary>The edges that exist already, before any rotation.</summary>
    public List<EdgeHost> Edges { get; set; } = [];

    /// <summary>Where alerts go (a webhook, ntfy, e-mail) and how they are grouped and retried; no channel: none are sent.</summary>
    public Daemon.SidecarAlertOptions Alerts { get; set; } = new();

    /// <summary>The nameservers as the sidecar sets them up; when given, their tunnels and admin URLs come from it.</summary>
    public Fleet.FleetOptions Fleet { get; set; } = new();

    public static SidecarOptions? Load(string path, out string error)
    {
        error = "";
        try
        {
            var options = JsonSerializer.Deserialize<SidecarOptions>(File.ReadAllText(path), Json) ?? new SidecarOptions();
            options.FollowFleet();
            return options;
        }
        catch (JsonException e)
        {
            error = JsonProblem.InFile(path, e);
        }
        catch (IOException e)
        {
            error = $"{path}: {e.Message}";
        }
        return null;
    }

    /// <summary>
    /// With a fleet, the home reaches nameserver N (from 0) through its tunnel at the tunnel network's .N+2, on its
    /// public address's WireGuard port, and its admin API there: what <c>nameservers</c> and
    /// <c>nameserverTunnels</c> would otherwise say by hand. Both given is a problem, not a choice made here.
    /// </summary>
    /// <remarks>Run again once the nameservers bootstrap bought have addresses; until then their endpoints are empty.</remarks>
    public void FollowFleet()
    {
        if (!Fleet.Configured || (!_derivedFromFleet && (Nameservers.Count > 0 || NameserverTunnels.Count > 0)) || TunnelAddresses.Parse(TunnelNetwork, out _) is not { } tunnel) return;
        _derivedFromFleet = true;
        NameserverTunnels = [.. Fleet.Nameservers.Select(n => new NameserverTunnel { Name = n.Name, Endpoint = n.Endpoint(HomeConfig.DefaultListenPort) })];
        Nameservers = [.. Fleet.Nameservers.Select((_, i) => $"http://{tunnel.Nameserver(i)}:{Fleet.AdminPort}")];
    }

    private bool _derivedFromFleet;

    /// <summary>Everything wrong with the config, each naming its key.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(Rotation.Problems());
        problems.AddRange(Fleet.Problems(Pool));
        // The provisionNameserver hooks reach a nameserver over SSH at EDGE_IPV4 (deploy/hooks/nameserver-provision.sh).
        if (!string.IsNullOrWhiteSpace(Hooks.ProvisionNameserver))
            problems.AddRange(Fleet.Nameservers.Where(n => n.Ipv4 is null && n.Ipv6 is not null).Select(n =>
                $"fleet.nameservers: {n.Name}: no ipv4, which hooks.provisionNameserver needs (the hooks reach the VPS at EDGE_IPV4); install an IPv6-only nameserver by hand"));
        if (Fleet.Configured && !_derivedFromFleet && (Nameservers.Count > 0 || NameserverTunnels.Count > 0))
            problems.Add("fleet.nameservers: set either fleet (the sidecar sets the nameservers up) or nameservers and nameserverTunnels (you did), not both");
        problems.AddRange(TunnelCheck.Problems(Rotation.PollInterval));
        problems.AddRange(Alerts.Problems());
        problems.AddRange(Signals.Problems());
        problems.AddRange(Attack.Problems());
        if (Attack.Policy.Flood == Daemon.AttackAction.Tighten && HookOptions.Problem(("tighten", Hooks.Tighten)) is { } tighten)
            problems.Add($"attack.policy.flood: tighten needs hooks.tighten ({tighten}); deploy/hooks/README.md has the reference hooks");
        if (TunnelAddresses.Parse(TunnelNetwork, out var error) is null) problems.Add($"tunnelNetwork: {error}");
        if (!IPEndPoint.TryParse(Listen, out _)) problems.Add($"listen: '{Listen}' is not ADDR:PORT");
        foreach (var url in Nameservers.Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            problems.Add($"nameservers: '{url}' is not an http(s) URL");
        // An edge listed without an address is one `bootstrap` creates through the create hook.
        problems.AddRange(Edges.Select(e => e.Problem(requireAddress: false)).OfType<string>().Select(p => $"edges: {p}"));
        if (!System.Text.RegularExpressions.Regex.IsMatch(Interface, "^[A-Za-z0-9_=+.-]{1,15}$"))
            problems.Add($"interface: '{Interface}' is not a Linux interface name (1-15 letters, digits, _=+.-)");
        if (HomeListenPort is < 1 or > 65535) problems.Add($"homeListenPort: {HomeListenPort} is not a port (1-65535)");
        // Derived tunnels come from fleet.nameservers, checked above (one still to be bought has no endpoint yet).
        if (!_derivedFromFleet) problems.AddRange(NameserverTunnels.Select(t => t.Problem()).OfType<string>().Select(p => $"nameserverTunnels: {p}"));
        foreach (var clash in Fleet.Nameservers.Where(n => Edges.Any(e => e.Name.Equals(n.Name, StringComparison.OrdinalIgnoreCase))))
            problems.Add($"fleet.nameservers: {clash.Name} is an edge's name too (each names one VPS)");
        if (NameserverTunnels.Count > TunnelAddresses.FirstEdgeOffset - 2)
            problems.Add($"nameserverTunnels: at most {TunnelAddresses.FirstEdgeOffset - 2} (they take tunnel addresses .2 to .{TunnelAddresses.FirstEdgeOffset - 1})");
        problems.AddRange(Edges.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"edges: {g.Key} is listed twice"));
        return problems;
    }

    /// <summary>What rotating needs on top of a valid config: nameservers, a pool and a token.</summary>
    public Outcome<string> AdminTokenValue()
    {
        if (Nameservers.Count == 0) return Outcome<string>.Failed("nameservers: none listed");
        if (string.IsNullOrWhiteSpace(Pool)) return Outcome<string>.Failed("pool: not set");
        return AdminTokenSecret();
    }

    /// <summary>The admin token itself, whether or not the nameservers are listed yet (the fleet's files carry it).</summary>
    public Outcome<string> AdminTokenSecret() => Secret(AdminToken, AdminTokenFile, "adminToken");

    public Outcome<string> TokenValue() => Secret(Token, TokenFile, "token");

    private static Outcome<string> Secret(string? value, string? file, string key)
    {
        if (!string.IsNullOrWhiteSpace(value)) return Outcome<string>.Success(value.Trim());
        if (string.IsNullOrWhiteSpace(file)) return Outcome<string>.Failed($"{key} or {key}File: neither is set");
        try
        {
            var text = File.ReadAllText(file).Trim();
            return text == "" ? Outcome<string>.Failed($"{key}File: {file} is empty") : Outcome<string>.Success(text);
        }
        catch (IOException e)
        {
            return Outcome<string>.Failed($"{key}File: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Outcome<string>.Failed($"{key}File: {e.Message}");
        }
    }
}
