namespace GeoDns.Diagnostics;

/// <summary>
/// Failures of our own code while handling a message or running a loop, by where they happened
/// (<c>geodns_internal_errors_total{where}</c>): each one was caught and serving went on, but any count
/// above zero is a bug or a broken host (a full disk) to look at.
/// </summary>
public sealed class InternalErrors
{
    /// <summary>The places counted: a UDP receive loop, a TCP connection, an exchange worker, a UDP receive or TCP accept loop that ended and was restarted.</summary>
    public static readonly string[] Places = ["udp", "tcp", "exchange", "loop_restart"];

    public const int Udp = 0, Tcp = 1, Exchange = 2, LoopRestart = 3;

    private readonly long[] _counts = new long[Places.Length];

    public void Count(int where) => Interlocked.Increment(ref _counts[where]);

    public long Total(int where) => Volatile.Read(ref _counts[where]);
}
