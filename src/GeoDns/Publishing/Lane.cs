namespace GeoDns.Publishing;

/// <summary>
/// One kind of work of the publisher with its own loop: a change requested bumps <see cref="Requested"/>
/// and wakes the loop; the loop takes every request made so far in one go (that is the coalescing), and
/// marks them <see cref="Done"/> once published.
/// </summary>
internal sealed class Lane
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _requested, _done;

    public long Requested => Interlocked.Read(ref _requested);
    public long Done => Interlocked.Read(ref _done);

    public void Request()
    {
        Interlocked.Increment(ref _requested);
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already awake: the loop will take this request with the others
    }

    /// <summary>Waits for a request and returns the generation it will cover.</summary>
    public async Task<long> NextAsync(CancellationToken stop)
    {
        while (Done >= Requested) await _wake.WaitAsync(stop);
        return Requested;
    }

    public void Complete(long generation)
    {
        // Another loop may have completed a later generation on our behalf: never go backwards.
        long seen;
        while ((seen = Done) < generation && Interlocked.CompareExchange(ref _done, generation, seen) != seen) { }
    }
}
