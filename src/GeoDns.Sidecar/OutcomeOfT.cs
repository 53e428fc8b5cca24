namespace GeoDns.Sidecar;

/// <summary>An <see cref="Outcome"/> that carries a value when it succeeded.</summary>
public readonly record struct Outcome<T>(T? Value, string? Error, bool Retryable = false)
{
    public bool Ok => Error is null;

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failed(string error, bool retryable = false) => new(default, error, retryable);

    public Outcome WithoutValue() => new(Error, Retryable);
}
