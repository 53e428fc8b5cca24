namespace GeoDns.Answering;

/// <summary>
/// The prepared replies for one name, by query type; any other type gets <see cref="Default"/>.
/// Most names have one or two types of their own (their data and ANY): the first two are held in fields, the rest in
/// arrays, so a big zone keeps two objects fewer per name for the collector to trace.
/// </summary>
public sealed class AnswerSet
{
    private readonly ushort _type0, _type1;
    private readonly PreparedAnswer? _answer0, _answer1;
    private readonly ushort[]? _moreTypes;
    private readonly PreparedAnswer[]? _moreAnswers;

    public AnswerSet(ReadOnlySpan<ushort> types, ReadOnlySpan<PreparedAnswer> answers, PreparedAnswer @default)
    {
        if (types.Length != answers.Length) throw new ArgumentException("one answer per type", nameof(answers));
        Default = @default;
        // A held answer is never null: a field's answer says whether it holds a type.
        if (types.Length > 0) (_type0, _answer0) = (types[0], answers[0]);
        if (types.Length > 1) (_type1, _answer1) = (types[1], answers[1]);
        if (types.Length > 2) (_moreTypes, _moreAnswers) = (types[2..].ToArray(), answers[2..].ToArray());
    }

    public static AnswerSet Single(PreparedAnswer answer) => new([], [], answer);

    public PreparedAnswer Default { get; }

    /// <summary>This set with the answers for <paramref name="replaced"/> types swapped for <paramref name="replacements"/>.</summary>
    public AnswerSet With(IReadOnlyList<ushort> replaced, IReadOnlyList<PreparedAnswer> replacements)
    {
        var all = Pairs().Where(x => !replaced.Contains(x.Type)).Concat(replaced.Select((t, i) => (Type: t, Answer: replacements[i]))).ToList();
        return new AnswerSet([.. all.Select(x => x.Type)], [.. all.Select(x => x.Answer)], Default);
    }

    public PreparedAnswer For(ushort qtype)
    {
        // A handful of types per name: a linear scan beats hashing here.
        if (_answer0 is not null && _type0 == qtype) return _answer0;
        if (_answer1 is not null && _type1 == qtype) return _answer1;
        if (_moreTypes is { } more)
            for (var i = 0; i < more.Length; i++)
                if (more[i] == qtype) return _moreAnswers![i];
        return Default;
    }

    private IEnumerable<(ushort Type, PreparedAnswer Answer)> Pairs()
    {
        if (_answer0 is not null) yield return (_type0, _answer0);
        if (_answer1 is not null) yield return (_type1, _answer1);
        for (var i = 0; i < (_moreTypes?.Length ?? 0); i++) yield return (_moreTypes![i], _moreAnswers![i]);
    }
}
