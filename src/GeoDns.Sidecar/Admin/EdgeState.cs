namespace GeoDns.Sidecar.Admin;

/// <summary>An edge's health as a nameserver's probes see it.</summary>
public enum EdgeState
{
    Unknown,
    Up,
    Suspect,
    Down,
}
