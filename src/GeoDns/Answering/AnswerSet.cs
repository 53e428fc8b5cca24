namespace GeoDns.Answering;

/// <summary>The prepared replies for one name, by query type; any other type gets <see cref="Default"/>.</summary>
public sealed class AnswerSet(ushort[] types, PreparedAnswer[] answers, PreparedAnswer @default)
{
    public static AnswerSet Single(PreparedAnswer answer) => new([], [], answer);

    public PreparedAnswer Default { get; } = @default;

    public PreparedAnswer For(ushort qtype)
    {
        // A handful of types per name: a linear scan beats hashing here.
        for (var i = 0; i < types.Length; i++)
            if (types[i] == qtype) return answers[i];
        return Default;
    }
}
