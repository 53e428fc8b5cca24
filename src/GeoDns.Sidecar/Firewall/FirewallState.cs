namespace GeoDns.Sidecar.Firewall;

/// <summary>What <see cref="HomeFirewall"/> found: the home's WireGuard firewall loaded, missing, or not checked, in words for the log and <c>status</c>.</summary>
public sealed record FirewallState(bool Loaded, bool Checked, string Detail)
{
    public static FirewallState NotChecked { get; } = new(false, false, "not checked (firewallCheck is empty)");

    /// <summary>The line <c>status</c> prints; not in its JSON, which has the parts.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Line => Loaded ? $"Firewall: loaded ({Detail})" : Checked ? $"Firewall: ERROR: {Detail}" : $"Firewall: {Detail}";
}
