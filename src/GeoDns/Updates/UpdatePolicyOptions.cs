namespace GeoDns.Updates;

/// <summary>
/// What one TSIG key may change by dynamic update (RFC 2136). With <see cref="Names"/> empty the key may
/// change only names whose first label is <c>_acme-challenge</c> (ACME DNS-01, RFC 8555 §8.4), with
/// <see cref="Types"/> empty only TXT.
/// </summary>
public sealed class UpdatePolicyOptions
{
    /// <summary>The key's name as in its key file, e.g. "acme".</summary>
    public string Key { get; set; } = "";

    /// <summary>The zone it may update, or "*" for every zone we serve from files. Empty means the one zone served,
    /// and is a config error when more than one is: a key meant for one zone must not reach the others by omission.</summary>
    public string Zone { get; set; } = "";

    /// <summary>Names relative to the zone: "www" (that name), "@" (the apex), "*.dyn" (any name below dyn).</summary>
    public List<string> Names { get; set; } = [];

    /// <summary>Record types, e.g. "TXT", "A".</summary>
    public List<string> Types { get; set; } = [];
}
