namespace GeoDns.Health;

/// <summary>A confirming round summed up as one result; <paramref name="WitnessesSilent"/>: it failed with no reply, and so did every witness.</summary>
internal sealed record ConfirmOutcome(ProbeResult Result, bool WitnessesSilent);
