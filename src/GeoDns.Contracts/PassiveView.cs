namespace GeoDns.Contracts;

/// <summary>A passive "cannot serve" signal on an edge address (the sidecar's tunnel down): why, and until when it holds unless reported again.</summary>
public sealed record PassiveView(string Reason, DateTimeOffset Until, double SecondsLeft);
