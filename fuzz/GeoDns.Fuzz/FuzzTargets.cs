namespace GeoDns.Fuzz;

/// <summary>
/// The targets by the name <c>bench/fuzz.sh</c> and the corpus folders (<c>fuzz/corpus/NAME</c>) use. Each returns what
/// became of the input (empty when it was accepted, else the first problem), so a corpus replay shows how far a seed gets.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Func<byte[], string>> All = new Dictionary<string, Func<byte[], string>>
    {
        ["zone"] = ZoneFileTarget.Run,
        ["config"] = ConfigTarget.Run,
        ["transfer"] = TransferTarget.Run,
        ["packet"] = PacketTarget.Run,
    };
}
