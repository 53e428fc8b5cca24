namespace GeoDns.Sidecar;

/// <summary>
/// How an expected-to-fail action ended: a hook, an admin call, a step. <see cref="Retryable"/>
/// marks failures worth another try (a 503, a timeout), as opposed to a refused token.
/// A success may carry a <see cref="Note"/>: something the operator should hear of, and do by hand.
/// </summary>
public readonly record struct Outcome(string? Error, bool Retryable = false, string? Note = null)
{
    public static readonly Outcome Success = new(null);

    public static Outcome Noted(string note) => new(null, Note: note);

    public bool Ok => Error is null;

    public static Outcome Failed(string error, bool retryable = false) => new(error, retryable);

    public override string ToString() => Error ?? "ok";
}
