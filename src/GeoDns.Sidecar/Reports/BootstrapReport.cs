namespace GeoDns.Sidecar.Reports;

/// <summary>
/// <c>bootstrap</c>'s final summary (<c>--json</c> prints it as the only document on stdout): what it created,
/// provisioned and added, how it ended, what failed and what to do next.
/// </summary>
public sealed record BootstrapReport(
    BootstrapResult Result,
    IReadOnlyList<EdgeReport> Created,
    IReadOnlyList<string> Provisioned,
    IReadOnlyList<string> Added,
    int Nameservers,
    string? Error,
    string? Next)
{
    /// <summary>The nameservers bootstrap bought (name and address) and installed, and how the parent came to delegate; empty without a fleet to set up.</summary>
    public IReadOnlyList<string> NameserversBought { get; init; } = [];
    public IReadOnlyList<string> NameserversProvisioned { get; init; } = [];
    public string? Delegation { get; init; }

    /// <summary>The summary as text, for people: the headline first, as scripts have grepped it.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Result switch
        {
            BootstrapResult.Up => $"bootstrap: {Provisioned.Count} edges Up on {Nameservers} nameservers",
            BootstrapResult.AwaitingCertificate => $"bootstrap: {Provisioned.Count} edges provisioned and added; no certificate yet",
            _ => $"bootstrap failed: {Error} (run it again to finish: every step is idempotent)",
        };
        if (NameserversBought.Count > 0) yield return $"  nameservers bought:      {string.Join(", ", NameserversBought)}";
        if (NameserversProvisioned.Count > 0) yield return $"  nameservers installed:   {string.Join(", ", NameserversProvisioned)}";
        if (Delegation is not null) yield return $"  delegation:  {Delegation}";
        if (Created.Count > 0) yield return $"  created:     {string.Join(", ", Created.Select(e => $"{e.Name} ({e.Ipv4 ?? e.Ipv6})"))}";
        if (Provisioned.Count > 0) yield return $"  provisioned: {string.Join(", ", Provisioned)}";
        if (Added.Count > 0) yield return $"  added:       {string.Join(", ", Added)} on {Nameservers} nameservers";
        if (Next is not null) yield return $"  next:        {Next}";
    }
}
