namespace GeoDns.Contracts;

/// <summary>
/// Body of <c>PUT /v1/edges/{name}/tunnel</c>: the home sidecar's report of the edge's tunnel. <see cref="State"/> is
/// "down" (the edge counts as Down for <see cref="HoldSeconds"/>, default 60, 1 to 3600, unless reported again)
/// or "up" (clears it, as DELETE does).
/// </summary>
public sealed record TunnelRequest(string State, string? Reason = null, double? HoldSeconds = null)
{
    public const double DefaultHoldSeconds = 60, MaxHoldSeconds = 3600;

    /// <summary>What is wrong with the request, naming the key; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (State?.ToLowerInvariant() is not ("down" or "up")) problems.Add($"state: '{State}' is not down or up");
        if (HoldSeconds is { } hold && !(hold >= 1 && hold <= MaxHoldSeconds)) problems.Add($"holdSeconds: {hold} is not within 1..{MaxHoldSeconds}");
        if (Reason is { Length: > 200 }) problems.Add("reason: at most 200 characters");
        return problems;
    }

    // Methods, not properties: a property named Hold would quietly take a misspelt "hold" key.
    public bool IsDown() => State.Equals("down", StringComparison.OrdinalIgnoreCase);

    public TimeSpan HoldTime() => TimeSpan.FromSeconds(HoldSeconds ?? DefaultHoldSeconds);
}
