namespace GeoDns.Sidecar.Hooks;

/// <summary>The user's provider hooks: command lines run with <c>/bin/sh -c</c>.</summary>
public sealed class HookOptions
{
    /// <summary>Creates (or, when one named $EDGE_NAME exists already, finds) a VPS; prints its JSON on stdout.</summary>
    public string Create { get; set; } = "";

    /// <summary>Installs $EDGE_WG_CONF and $EDGE_NGINX_CONF on the VPS at $EDGE_IPV4 and starts both.</summary>
    public string Provision { get; set; } = "";

    /// <summary>
    /// Optional: installs the renewed certificate from $EDGE_CERT_DIR on the edge at $EDGE_IPV4 and
    /// reloads nginx there. Run for every live edge by <c>certificates</c> and by <c>run</c> when
    /// the certificate files change.
    /// </summary>
    public string Certificate { get; set; } = "";

    /// <summary>
    /// Optional: asks for a new certificate with a NEW private key (e.g. a root job running
    /// <c>certbot renew --force-renewal --no-reuse-key</c>), once per rotation, after the rotated-out
    /// edge $EDGE_NAME is destroyed: the key it held then serves nowhere. Run once, never retried by
    /// itself (every run is an issuance, and the CA limits those); the new certificate goes to the live
    /// edges only.
    /// </summary>
    public string Rekey { get; set; } = "";

    /// <summary>
    /// Optional (needed by <c>attack.policy.flood: tighten</c>): on the flooded edge $EDGE_NAME (through $EDGE_TUNNEL), bans
    /// the addresses in $ATTACK_SOURCES and the countries in $ATTACK_COUNTRIES for $ATTACK_BAN_SECONDS and switches on its
    /// stricter nginx limits as long (deploy/hooks/edge-tighten.sh). Run again every <c>attack.sustain</c> while the flood
    /// holds, so each run must extend what the last did. Not retried by itself: the next run is.
    /// </summary>
    public string Tighten { get; set; } = "";

    /// <summary>
    /// Makes a nameserver of the VPS $EDGE_NAME (fleet): installs the package $NS_PACKAGE, the files in $NS_FILES, its
    /// WireGuard config $NS_WG_CONF and its firewall, and restarts the server. Run by <c>bootstrap</c>, and by
    /// <c>upgrade</c> with a newer package (an older one to roll back). Unset: the nameservers are installed by hand.
    /// </summary>
    public string ProvisionNameserver { get; set; } = "";

    /// <summary>
    /// Makes the parent zone serve the fleet zone's NS and glue ($DELEGATE_ZONE, $DELEGATE_PARENT,
    /// $DELEGATE_NAMESERVERS, $DELEGATE_TTL). Unset: <c>bootstrap</c> prints the records to add and waits for them.
    /// </summary>
    public string Delegate { get; set; } = "";

    /// <summary>
    /// Optional: prints the ISO 3166 codes of the countries the create hook buys in (whitespace-separated) and exits 0,
    /// buying nothing. Set, every country <c>bootstrap</c> and a rotation are about to buy in is checked against it
    /// before anything is bought (<see cref="CountryCheck"/>). Unset: no check; the create hook alone refuses a country
    /// it has no location in, when it reaches that entry.
    /// </summary>
    public string Countries { get; set; } = "";

    /// <summary>Deletes the VPS $EDGE_NAME; succeeds when it is gone already.</summary>
    public string Destroy { get; set; } = "";

    /// <summary>One run of a hook is killed after this long (and retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Extra variables for every hook, e.g. the provider's region or API token file.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Why the hooks cannot run (unset, or their program is missing or not executable), or null.</summary>
    public string? Problem() => Problem(("create", Create), ("provision", Provision), ("destroy", Destroy));

    /// <summary>Why the named hooks cannot run (unset, or their program is missing or not executable), or null.</summary>
    public static string? Problem(params (string Key, string Line)[] hooks)
    {
        foreach (var (key, line) in hooks)
        {
            if (string.IsNullOrWhiteSpace(line)) return $"hooks.{key} is not set";
            var program = line.Trim().Split(' ', 2)[0].Trim('"', '\'');
            if (program.Contains('/') ? !Executable(program) : !Searchable(program))
                return $"hooks.{key}: '{program}' is not an executable file";
        }
        return null;
    }

    private static bool Searchable(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => Executable(Path.Combine(d, program)));

    private static bool Executable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
