namespace GeoDns.Answering;

/// <summary>The prepared replies for one name, by query type; any other type gets <see cref="Default"/>.</summary>
public sealed class AnswerSet(ushort[] types, PreparedAnswer[] answers, PreparedAnswer @default)
{
    public static AnswerSet Single(PreparedAnswer answer) => new([], [], answer);

    public PreparedAnswer Default { get; } = @default;

    /// <summary>This set with the answers for <paramref name="replaced"/> types swapped for <paramref name="replacements"/>.</summary>
    public AnswerSet With(IReadOnlyList<ushort> replaced, IReadOnlyList<PreparedAnswer> replacements)
    {
        var kept = types.Select((t, i) => (Type: t, Answer: answers[i])).Where(x => !replaced.Contains(x.Type));
        var all = kept.Concat(replaced.Select((t, i) => (Type: t, Answer: replacements[i]))).ToList();
        return new AnswerSet([.. all.Select(x => x.Type)], [.. all.Select(x => x.Answer)], Default);
    }

    public PreparedAnswer For(ushort qtype)
    {
        // A handful of types per name: a linear scan beats hashing here.
        for (var i = 0; i < types.Length; i++)
            if (types[i] == qtype) return answers[i];
        return Default;
    }
}
