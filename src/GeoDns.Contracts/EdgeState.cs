namespace GeoDns.Contracts;

/// <summary>An edge address's health as the admin API reports it (the server's probe states, by name).</summary>
public enum EdgeState
{
    Unknown,
    Up,
    Suspect,
    Down,
}
