namespace GeoDns.Server;

/// <summary>How an operator's change ended; the admin endpoint maps each to an HTTP status.</summary>
public enum OperationStatus
{
    Done,
    Created,
    NotFound,
    Conflict,
    Invalid,
    /// <summary>The change could not be stored (a full disk, say); nothing changed.</summary>
    Unavailable,
}
