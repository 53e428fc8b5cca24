using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GeoDns.Alerts;
using GeoDns.Configuration;
using GeoDns.Sidecar.WireGuard;

namespace GeoDns.Sidecar.Fleet;

/// <summary>
/// Everything one nameserver of the fleet runs with, as files the deployment guide installs by hand in
/// /opt/geodns: its <c>geodns.json</c> (DNS on its public addresses, the admin endpoint on its tunnel
/// address only, the pool, and the zone exchange: the first nameserver transfers and NOTIFYs, the others
/// follow it), the zone file where it holds one, the admin token and the transfers' TSIG key; and, when the sidecar
/// has alert channels, its name and those channels, so it can say itself that the home has gone quiet, with the
/// channels' secret files. Paths in the config are relative: the server runs in the directory the files are installed in.
/// </summary>
public sealed class NameserverBundle
{
    public const string ConfigFile = "geodns.json";
    public const string TokenFile = "admin.token";
    public const string KeyFile = "xfr.key";
    public const string KeyName = "xfr";

    /// <summary>The zone file's TTL: of its NS records and the nameservers' addresses.</summary>
    public const int ZoneTtl = 300;

    private NameserverBundle(string name, IReadOnlyDictionary<string, string> files) => (Name, Files) = (name, files);

    public string Name { get; }

    /// <summary>Relative path → content. Every file is written owner-only: the token and the key are secrets.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>Channel N's secret files in the bundle, e.g. <c>alert-0.token</c>, <c>alert-2.password</c>.</summary>
    public static string AlertSecretFile(int channel, string kind) => $"alert-{channel}.{kind}";

    /// <summary>
    /// Nameserver <paramref name="index"/>'s files; <paramref name="transferSecret"/> is the base64 TSIG secret the fleet
    /// shares, <paramref name="alertSecrets"/> the contents of the files <paramref name="alerts"/> names (<see cref="AlertSecrets"/>).
    /// </summary>
    public static NameserverBundle Render(FleetOptions fleet, int index, string pool, TunnelAddresses tunnel, string adminToken, string transferSecret,
        Daemon.SidecarAlertOptions alerts, IReadOnlyDictionary<string, string> alertSecrets)
    {
        var self = fleet.Nameservers[index];
        var zone = fleet.Zone.TrimEnd('.');
        var followers = fleet.Nameservers.Where((_, i) => i != 0).ToList();
        var transfers = fleet.Transfers && fleet.Nameservers.Count > 1;
        var holdsZone = index == 0 || !transfers;

        var config = new JsonObject
        {
            ["listen"] = new JsonArray([.. (self.Listen.Count > 0 ? self.Listen : PublicListen(self, fleet.DnsPort)).Select(l => JsonValue.Create(l))]),
            ["zones"] = "zones",
            ["admin"] = $"{tunnel.Nameserver(index)}:{fleet.AdminPort}",
            ["adminTokenFile"] = TokenFile,
            ["pools"] = new JsonArray(Pool(fleet, pool)),
        };
        if (transfers)
        {
            var exchange = new JsonObject { ["keyFiles"] = new JsonArray(KeyFile) };
            if (index == 0)
                exchange["transfers"] = new JsonArray(new JsonObject
                {
                    ["zone"] = zone,
                    ["allowFrom"] = new JsonArray([.. followers.SelectMany(Addresses).Select(a => JsonValue.Create(a))]),
                    ["keys"] = new JsonArray(KeyName),
                    ["notify"] = new JsonArray([.. followers.Select(f => JsonValue.Create(f.Endpoint(fleet.DnsPort)))]),
                });
            else
                exchange["secondaries"] = new JsonArray(new JsonObject
                {
                    ["zone"] = zone,
                    ["primaries"] = new JsonArray(fleet.Nameservers[0].Endpoint(fleet.DnsPort)),
                    ["key"] = KeyName,
                });
            config["exchange"] = exchange;
        }

        var files = new Dictionary<string, string> { [TokenFile] = adminToken.Trim() + "\n" };
        // Only with channels: a nameserver still on a package older than its alerts refuses keys it does not know.
        var reachable = Reachable(alerts);
        if (reachable.Channels.Count > 0)
        {
            config["name"] = self.Name;
            config["alerts"] = Alerts(reachable, alertSecrets, files);
            if (alerts.HomeSilentAfter is { } silent) config["alerts"]!["homeSilentAfter"] = $"{silent.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s";
        }
        files[ConfigFile] = config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (holdsZone) files[$"zones/{zone}.zone"] = ZoneFile(fleet, zone);
        if (transfers) files[KeyFile] = $"key \"{KeyName}\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{transferSecret}\";\n}};\n";
        return new NameserverBundle(self.Name, files);
    }

    /// <summary>Writes the files under <paramref name="directory"/>, owner-only, each replaced whole, and removes every other file there.</summary>
    public void Write(string directory)
    {
        foreach (var (path, content) in Files) SecretFile.Write(Path.Combine(directory, path), content);
        // The hooks install the whole directory and the digest covers it: a file the bundle no longer has (the zone file
        // of a nameserver that follows by transfer now, the key once transfers are off) would be installed all the same.
        var kept = Files.Keys.Select(p => Path.GetFullPath(Path.Combine(directory, p))).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList())
            if (!kept.Contains(Path.GetFullPath(file))) File.Delete(file);
    }

    /// <summary>The contents of the secret files the sidecar's alert channels name, for the bundles; an error names the key.</summary>
    public static Outcome<IReadOnlyDictionary<string, string>> AlertSecrets(AlertOptions alerts)
    {
        var secrets = new Dictionary<string, string>();
        for (var i = 0; i < alerts.Channels.Count; i++)
            foreach (var (key, file) in new[] { ("tokenFile", alerts.Channels[i].TokenFile), ("passwordFile", alerts.Channels[i].PasswordFile) })
            {
                if (file is null) continue;
                try
                {
                    secrets[file] = File.ReadAllText(file).Trim() + "\n";
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Outcome<IReadOnlyDictionary<string, string>>.Failed($"alerts.channels[{i}].{key}: {e.Message}");
                }
            }
        return Outcome<IReadOnlyDictionary<string, string>>.Success(secrets);
    }

    /// <summary>A new TSIG secret for the fleet's transfers: 32 random bytes, as tsig-keygen makes for hmac-sha256.</summary>
    public static string NewTransferSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The server's spelling of <c>alerts</c>: camelCase keys, durations as <c>10s</c>, enum values in lower case, unset keys left out.</summary>
    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new DurationConverter(), new JsonStringEnumConverter(new LowerCase()) },
    };

    /// <summary>
    /// The channels a nameserver can reach: one on the home's own machine (localhost, a loopback address) would be the
    /// nameserver's own loopback there, so it is left out; so are the sidecar's thresholds, which are not the server's keys.
    /// </summary>
    private static AlertOptions Reachable(AlertOptions alerts) => new()
    {
        Channels = [.. alerts.Channels.Where(c => !c.OnThisMachine)],
        GroupWindow = alerts.GroupWindow,
        RetryDelay = alerts.RetryDelay,
        MaxRetryDelay = alerts.MaxRetryDelay,
        GiveUpAfter = alerts.GiveUpAfter,
    };

    /// <summary>
    /// The sidecar's <c>alerts</c> for this nameserver: each secret file copied into the bundle (written 0600 with the
    /// rest) and named by its place there, which the server finds beside its config.
    /// </summary>
    private static JsonObject Alerts(AlertOptions alerts, IReadOnlyDictionary<string, string> secrets, Dictionary<string, string> files)
    {
        var json = JsonSerializer.SerializeToNode(alerts, AlertJson)!.AsObject();
        var channels = json["channels"]!.AsArray();
        for (var i = 0; i < alerts.Channels.Count; i++)
            foreach (var (key, file, kind) in new[] { ("tokenFile", alerts.Channels[i].TokenFile, "token"), ("passwordFile", alerts.Channels[i].PasswordFile, "password") })
            {
                if (file is null) continue;
                files[AlertSecretFile(i, kind)] = secrets[file];
                channels[i]![key] = AlertSecretFile(i, kind);
            }
        return json;
    }

    private sealed class LowerCase : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    private static IEnumerable<string> PublicListen(FleetNameserver self, int port) =>
        new[] { self.Ipv4 is null ? null : $"{self.Ipv4}:{port}", self.Ipv6 is null ? null : $"[{self.Ipv6}]:{port}" }.OfType<string>();

    private static IEnumerable<string> Addresses(FleetNameserver nameserver) => new[] { nameserver.Ipv4, nameserver.Ipv6 }.OfType<string>();

    private static JsonObject Pool(FleetOptions fleet, string pool)
    {
        var entry = new JsonObject { ["name"] = pool.TrimEnd('.') };
        foreach (var (key, value) in fleet.Pool ?? []) entry[key] = value?.DeepClone();
        // Edges come from the sidecar through the admin API (bootstrap, rotations), never from this file.
        entry["edges"] = new JsonArray();
        return entry;
    }

    /// <summary>The zone's apex: SOA, one NS per nameserver, and their addresses (the names the parent's glue points at).
    /// Serial 1: when the file changes, the server serves it under a serial above every one it served before.</summary>
    private static string ZoneFile(FleetOptions fleet, string zone)
    {
        var text = new StringBuilder();
        text.Append($"; Written by geodns-sidecar from sidecar.json (fleet): the apex of {zone}.\n");
        text.Append($"$ORIGIN {zone}.\n$TTL {ZoneTtl}\n");
        text.Append($"@ IN SOA {fleet.Nameservers[0].Name} {fleet.Hostmaster} 1 3600 600 1209600 60\n");
        foreach (var nameserver in fleet.Nameservers) text.Append($"@ IN NS {nameserver.Name}\n");
        foreach (var nameserver in fleet.Nameservers)
        {
            if (nameserver.Ipv4 is not null) text.Append($"{nameserver.Name} IN A {nameserver.Ipv4}\n");
            if (nameserver.Ipv6 is not null) text.Append($"{nameserver.Name} IN AAAA {nameserver.Ipv6}\n");
        }
        if (fleet.Records.Count > 0) text.Append("; Yours, from fleet.records:\n");
        foreach (var record in fleet.Records) text.Append(record.Trim()).Append('\n');
        return text.ToString();
    }
}
