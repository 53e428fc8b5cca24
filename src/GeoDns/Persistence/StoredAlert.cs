namespace GeoDns.Persistence;

/// <summary>An alert message of the host's as the state file keeps it: its id, and its text as the host wrote it (JSON).</summary>
public sealed record StoredAlert(int Id, string Text);
