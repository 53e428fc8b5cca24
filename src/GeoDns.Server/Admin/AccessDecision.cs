namespace GeoDns.Server.Admin;

/// <summary>What <see cref="TokenCheck"/> makes of a request.</summary>
public enum AccessDecision
{
    Allowed,
    /// <summary>401: a change, or a read from beyond loopback, without a token.</summary>
    TokenRequired,
    /// <summary>401: a token was given and it is wrong (the attempt is counted).</summary>
    WrongToken,
    /// <summary>403: a change, but no token is configured, so changes are off.</summary>
    ChangesDisabled,
    /// <summary>429: too many wrong tokens from this client lately.</summary>
    TooManyAttempts,
}
