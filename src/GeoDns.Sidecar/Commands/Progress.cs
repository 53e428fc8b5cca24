namespace GeoDns.Sidecar.Commands;

/// <summary>
/// What a long command (<c>bootstrap</c>; <c>check</c> and <c>upgrade</c> to come) is doing, as plain lines: the time
/// since it started, the subject, and the step done or what it waits for
/// (<c>[00:42] edge-2: waiting until every nameserver sees it Up (ns1 Up, ns2 Suspect)</c>). No cursor tricks: the
/// output is as often a pipe or a log (the lab tees bootstrap into one) as a terminal. A wait prints its line again
/// only when what it waits for changes, or after <see cref="Heartbeat"/>, so minutes of polling stay a few lines.
/// </summary>
public sealed class Progress(TextWriter output, TimeProvider time)
{
    /// <summary>How long an unchanged wait stays silent: long enough not to flood a log, short enough to show life.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    private readonly long _start = time.GetTimestamp();
    private readonly Dictionary<string, (string What, TimeSpan At)> _waits = [];

    public TimeSpan Elapsed => time.GetElapsedTime(_start);

    /// <summary>A step started or done: <c>[00:03] edge-3: provisioned</c>.</summary>
    public void Step(string subject, string text)
    {
        _waits.Remove(subject);
        output.WriteLine($"[{Clock(Elapsed)}] {subject}: {text}");
    }

    /// <summary>What <paramref name="subject"/> waits for; called on every poll, printed on a change or a heartbeat.</summary>
    public void Waiting(string subject, string what)
    {
        var now = Elapsed;
        if (_waits.TryGetValue(subject, out var last) && last.What == what && now - last.At < Heartbeat) return;
        _waits[subject] = (what, now);
        output.WriteLine($"[{Clock(now)}] {subject}: waiting {what}");
    }

    /// <summary>A plain line (the final summary), without a clock.</summary>
    public void Line(string text) => output.WriteLine(text);

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";
}
