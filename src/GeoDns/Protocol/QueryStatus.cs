namespace GeoDns.Protocol;

/// <summary>How far a packet got through <see cref="QueryParser"/>.</summary>
public enum QueryStatus
{
    /// <summary>A well-formed query.</summary>
    Ok,
    /// <summary>Not a query we may answer: too short for a header, or QR=1 (never answer a response).</summary>
    Drop,
    /// <summary>The header is readable but the rest is malformed (RFC 1035 §4.1.1 FORMERR).</summary>
    FormErr,
    /// <summary>An opcode other than QUERY.</summary>
    NotImp,
}
