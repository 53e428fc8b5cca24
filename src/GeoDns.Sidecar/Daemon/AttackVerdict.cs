namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// One edge under attack as <see cref="AttackWatch"/> judged it: <see cref="Summary"/> in a few words (the rotation's
/// trigger), <see cref="Text"/> with the figures, since when it held, and what <c>run</c> did about it (<see cref="Action"/>).
/// </summary>
public sealed record AttackVerdict(string Edge, AttackKind Kind, string Summary, string Text, DateTimeOffset Since)
{
    /// <summary>In the operator's words: "rotating it now (rotation #3)", "alert only (attack.policy.flood)", "not rotated: …"; null until decided.</summary>
    public string? Action { get; init; }

    /// <summary>A flood's sources worth banning, busiest first: those the edge named that averaged <c>attack.tighten.minRate</c> over the flood's window.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>What a rotation it starts records as its reason.</summary>
    public string Trigger => $"attack: {Summary}";

    public string KindName => Kind.ToString().ToLowerInvariant();
}
