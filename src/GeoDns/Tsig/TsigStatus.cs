namespace GeoDns.Tsig;

public enum TsigStatus
{
    /// <summary>No TSIG record.</summary>
    Unsigned,
    /// <summary>Signed by a key we hold, MAC and time good.</summary>
    Valid,
    /// <summary>Signed, but BADKEY, BADSIG, BADTIME or BADTRUNC: answer NOTAUTH with the error (RFC 8945 §5.2).</summary>
    Failed,
    /// <summary>A TSIG that is not the last record, or whose RDATA does not parse: FORMERR.</summary>
    Malformed,
}
