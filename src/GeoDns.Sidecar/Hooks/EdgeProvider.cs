using System.Text.Json;
using GeoDns.Sidecar.Rotation;
using Polly;

namespace GeoDns.Sidecar.Hooks;

/// <summary>
/// The VPS provider, as the user's three hooks. Every hook may run again after a crash or a
/// retry, so each must be idempotent: create finds the VPS named $EDGE_NAME if it exists,
/// destroy succeeds when it is gone.
/// </summary>
public sealed class EdgeProvider
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HookOptions _hooks;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<ShellResult> _retry;

    private readonly string? _certificateDir;
    private readonly string _knownHosts;
    private readonly Func<string, string?> _tunnelOf;

    /// <param name="knownHosts">The sidecar's known_hosts file, where the hooks pin each edge's SSH host key.</param>
    /// <param name="tunnelOf">An edge's tunnel address by name (null before it has one): later hook calls reach the edge there.</param>
    public EdgeProvider(HookOptions hooks, RotationPolicy policy, TimeProvider time, string knownHosts, Func<string, string?> tunnelOf, string? certificateDir = null)
    {
        (_hooks, _time, _tunnelOf) = (hooks, time, tunnelOf);
        _knownHosts = Path.GetFullPath(knownHosts);
        _certificateDir = certificateDir is null ? null : Path.GetFullPath(certificateDir);
        // Killed runs (the time limit) read as failures and are retried like any other exit.
        _retry = RetryPipeline.Build<ShellResult>(policy, time, Timeout.InfiniteTimeSpan, r => !r.Succeeded);
    }

    /// <summary>How hooks can call this program (the local provider's listener is <c>$GEODNS_SIDECAR local-edge</c>), shell-quoted.</summary>
    public static string SelfCommand()
    {
        // A single-file program has no assembly file: the process itself is the program. Otherwise the
        // assembly sits in the base directory, with the apphost beside it, which starts fastest
        // (in-process hosts such as the tests have one too); without one, `dotnet` runs the assembly.
        var name = typeof(EdgeProvider).Assembly.GetName().Name!;
        var assembly = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        var process = Environment.ProcessPath;
        if (!File.Exists(assembly)) return Quote(process ?? name);
        var apphost = Path.Combine(AppContext.BaseDirectory, name);
        if (File.Exists(apphost)) return Quote(apphost);
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"{Quote(process)} {Quote(assembly)}" : $"dotnet {Quote(assembly)}";
    }

    /// <summary>Creates (or finds) the VPS <paramref name="name"/>, replacing <paramref name="replaced"/>; reads its JSON from stdout.</summary>
    /// <param name="role"><c>edge</c>, or <c>nameserver</c> for one of the fleet's (EDGE_ROLE: a hook may pick another size).</param>
    public async Task<Outcome<EdgeHost>> CreateAsync(string name, EdgeHost replaced, CancellationToken cancel, string role = "edge")
    {
        var result = await RunAsync("create", _hooks.Create, new()
        {
            ["EDGE_ROLE"] = role,
            ["EDGE_NAME"] = name,
            // Bootstrap creates an edge "like" its own config entry: it replaces nothing.
            ["EDGE_REPLACES"] = replaced.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ? "" : replaced.Name,
            ["EDGE_COUNTRY"] = replaced.Country ?? "",
        }, cancel);
        if (!result.Ok) return Outcome<EdgeHost>.Failed(result.Error!);
        var host = Parse(result.Value!.Stdout);
        if (host is null) return Outcome<EdgeHost>.Failed($"create hook printed no edge JSON (want {{\"name\":..., \"ipv4\":...}}); it wrote: {Snippet(result.Value.Stdout)}");
        host = host with
        {
            Name = string.IsNullOrWhiteSpace(host.Name) ? name : host.Name,
            Ipv4 = string.IsNullOrWhiteSpace(host.Ipv4) ? null : host.Ipv4,
            Ipv6 = string.IsNullOrWhiteSpace(host.Ipv6) ? null : host.Ipv6,
            Weight = replaced.Weight,
        };
        return host.Problem() is { } problem ? Outcome<EdgeHost>.Failed($"create hook: {problem}") : Outcome<EdgeHost>.Success(host);
    }

    public async Task<Outcome> ProvisionAsync(EdgeHost edge, string wireGuardConfig, string nginxConfig, CancellationToken cancel) =>
        (await RunAsync("provision", _hooks.Provision, Describe(edge, new()
        {
            ["EDGE_WG_CONF"] = wireGuardConfig,
            ["EDGE_NGINX_CONF"] = nginxConfig,
            ["EDGE_CERT_DIR"] = _certificateDir ?? "",
        }), cancel)).WithoutValue();

    /// <summary>Installs the certificate on <paramref name="edge"/> through the certificate hook.</summary>
    public async Task<Outcome> InstallCertificateAsync(EdgeHost edge, CancellationToken cancel) =>
        _certificateDir is null ? Outcome.Failed("nginx.certificateDir is not set")
        : (await RunAsync("certificate", _hooks.Certificate, Describe(edge, new() { ["EDGE_CERT_DIR"] = _certificateDir }), cancel)).WithoutValue();

    /// <summary>Runs the re-key hook once for the rotated-out <paramref name="edge"/> (no retry: each run is an issuance).</summary>
    public async Task<Outcome> RekeyAsync(EdgeHost edge, CancellationToken cancel) =>
        (await RunAsync("rekey", _hooks.Rekey, Describe(edge, new() { ["EDGE_CERT_DIR"] = _certificateDir ?? "" }), cancel, retry: false)).WithoutValue();

    /// <summary>Tightens the flooded <paramref name="edge"/> through the tighten hook: once, the daemon runs it again while the flood holds.</summary>
    public async Task<Outcome> TightenAsync(EdgeHost edge, Daemon.AttackVerdict verdict, Daemon.AttackTighten tighten, CancellationToken cancel) =>
        (await RunAsync("tighten", _hooks.Tighten, Describe(edge, new()
        {
            ["ATTACK_KIND"] = verdict.KindName,
            ["ATTACK_TEXT"] = verdict.Text,
            ["ATTACK_SOURCES"] = string.Join(' ', verdict.Sources),
            ["ATTACK_BAN_SECONDS"] = ((long)tighten.BanFor.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ATTACK_COUNTRIES"] = string.Join(' ', tighten.Countries.Select(c => c.ToUpperInvariant())),
        }), cancel, retry: false)).WithoutValue();

    /// <summary>Makes a nameserver of <paramref name="host"/>: the package, its files and its tunnel config, through the provisionNameserver hook.</summary>
    public async Task<Outcome> ProvisionNameserverAsync(EdgeHost host, string tunnel, NameserverFiles files, CancellationToken cancel) =>
        (await RunAsync("provisionNameserver", _hooks.ProvisionNameserver, Describe(host, new()
        {
            ["EDGE_ROLE"] = "nameserver",
            ["EDGE_TUNNEL"] = tunnel,
            ["NS_FILES"] = Path.GetFullPath(files.Directory),
            ["NS_WG_CONF"] = Path.GetFullPath(files.WireGuardConfig),
            ["NS_PACKAGE"] = Path.GetFullPath(files.Package),
            ["NS_DNS_PORT"] = files.DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NS_ADMIN_PORT"] = files.AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), cancel)).WithoutValue();

    /// <summary>Makes the parent serve the delegation through the delegate hook (deploy/hooks/README.md, Delegation).</summary>
    public async Task<Outcome> DelegateAsync(string zone, string parent, IEnumerable<string> nameservers, int ttl, CancellationToken cancel) =>
        (await RunAsync("delegate", _hooks.Delegate, new()
        {
            ["DELEGATE_ZONE"] = zone,
            ["DELEGATE_PARENT"] = parent,
            ["DELEGATE_NAMESERVERS"] = string.Join("\n", nameservers),
            ["DELEGATE_TTL"] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancel)).WithoutValue();

    /// <summary>The countries the provider buys in, as the countries hook prints them: ISO 3166 codes, upper case.</summary>
    public async Task<Outcome<IReadOnlySet<string>>> CountriesAsync(CancellationToken cancel)
    {
        var result = await RunAsync("countries", _hooks.Countries, [], cancel);
        if (!result.Ok) return Outcome<IReadOnlySet<string>>.Failed(result.Error!, retryable: true);
        var codes = result.Value!.Stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        // Anything else printed is a hook gone wrong (a usage text, an error on stdout), not a list to check against.
        if (codes.FirstOrDefault(c => c.Length != 2 || !c.All(char.IsAsciiLetter)) is { } bad)
            return Outcome<IReadOnlySet<string>>.Failed($"countries hook printed '{Snippet(bad)}', not an ISO 3166 code such as DE");
        if (codes.Length == 0) return Outcome<IReadOnlySet<string>>.Failed("countries hook printed no country");
        return Outcome<IReadOnlySet<string>>.Success(codes.Select(c => c.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal));
    }

    public async Task<Outcome> DestroyAsync(EdgeHost edge, CancellationToken cancel) =>
        (await RunAsync("destroy", _hooks.Destroy, Describe(edge, []), cancel)).WithoutValue();

    private Dictionary<string, string> Describe(EdgeHost edge, Dictionary<string, string> more)
    {
        more["EDGE_NAME"] = edge.Name;
        more["EDGE_IPV4"] = edge.Ipv4 ?? "";
        more["EDGE_IPV6"] = edge.Ipv6 ?? "";
        more.TryAdd("EDGE_TUNNEL", _tunnelOf(edge.Name) ?? "");
        more["EDGE_KNOWN_HOSTS"] = _knownHosts;
        return more;
    }

    /// <summary>What the provisionNameserver hook installs: the directory of a nameserver's files, its tunnel config and the package.</summary>
    public sealed record NameserverFiles(string Directory, string WireGuardConfig, string Package, int DnsPort, int AdminPort);

    private async Task<Outcome<ShellResult>> RunAsync(string hook, string commandLine, Dictionary<string, string> variables, CancellationToken cancel, bool retry = true)
    {
        if (string.IsNullOrWhiteSpace(commandLine)) return Outcome<ShellResult>.Failed($"hooks.{hook} is not set in the config");
        foreach (var (key, value) in _hooks.Environment) variables.TryAdd(key, value);
        variables["GEODNS_SIDECAR"] = SelfCommand();
        var last = retry
            ? await _retry.ExecuteAsync(async token => await ShellCommand.RunAsync(commandLine, variables, _hooks.Timeout, _time, token), cancel)
            : await ShellCommand.RunAsync(commandLine, variables, _hooks.Timeout, _time, cancel);
        return last.Succeeded ? Outcome<ShellResult>.Success(last) : Outcome<ShellResult>.Failed($"{hook} hook failed: {last.Describe()}");
    }

    /// <summary>The JSON object on stdout: all of it, or else its last line that is one (hooks may chatter first).</summary>
    private static EdgeHost? Parse(string stdout)
    {
        foreach (var candidate in new[] { stdout }.Concat(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse()))
        {
            try
            {
                if (candidate.TrimStart().StartsWith('{') && JsonSerializer.Deserialize<EdgeHost>(candidate, Json) is { } host) return host;
            }
            catch (JsonException)
            {
                // not this one
            }
        }
        return null;
    }

    private static string Snippet(string text) => text.Length == 0 ? "(nothing)" : text.Length > 200 ? text[..200] + "..." : text.Trim();

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
