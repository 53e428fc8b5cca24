using GeoDns.Fuzz;
using SharpFuzz;

// GeoDns.Fuzz TARGET             run under afl-fuzz (bench/fuzz.sh): one input per run, read from AFL's stdin
// GeoDns.Fuzz TARGET PATH...     run each file (or each file of a folder) in process: a crash's stack trace
// GeoDns.Fuzz seeds DIR          write the packet and transfer seeds from our own writers (fuzz/corpus)
if (args is ["seeds", var folder])
{
    SeedWriter.Write(folder);
    return 0;
}
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: GeoDns.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [FILE|DIR...] | seeds DIR");
    return 2;
}
if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        _ = target(buffer.ToArray());
    });
    return 0;
}
var failed = 0;
foreach (var file in args[1..].SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order() : (IEnumerable<string>)[p]))
{
    try
    {
        var outcome = target(File.ReadAllBytes(file));
        Console.WriteLine($"ok     {file}: {(outcome.Length == 0 ? "accepted" : outcome)}");
    }
    catch (Exception e)
    {
        failed++;
        Console.WriteLine($"CRASH  {file}: {e}");
    }
}
return failed == 0 ? 0 : 1;
