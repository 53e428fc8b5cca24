namespace GeoDns.Sidecar.Signals;

/// <summary>
/// One edge's signals as the home has read them: the latest sample and the points between consecutive samples, for
/// <see cref="History"/> back from the latest (the edge's clock). Reading the same sample twice adds nothing, and a
/// missed read loses nothing: the next point spans the gap, as does the first after a restart (<see cref="Restore"/>).
/// </summary>
public sealed class EdgeSignalsTrack(TimeSpan history)
{
    private readonly Queue<SignalsPoint> _points = new();

    public TimeSpan History { get; } = history;

    public EdgeSignalsSample? Last { get; private set; }

    /// <summary>When (the home's clock) a new sample last arrived: an edge whose samples stop changing has a dead script.</summary>
    public DateTimeOffset? ChangedAt { get; private set; }

    public IReadOnlyList<SignalsPoint> Points => [.. _points];

    /// <summary>How many points <see cref="Add"/> has added in all (restored ones not counted): whoever looked when it was n has the newest <see cref="Added"/> - n to look at.</summary>
    public long Added { get; private set; }

    public SignalsPoint? Latest => _points.Count > 0 && _points.Last().At == Last?.Time ? _points.Last() : null;

    /// <summary>
    /// The track as it was kept (<see cref="SignalsStore"/>): <paramref name="last"/>, when it arrived, and the points
    /// before it, oldest first, less those <see cref="Add"/> would have dropped by now.
    /// </summary>
    public static EdgeSignalsTrack Restore(TimeSpan history, EdgeSignalsSample last, DateTimeOffset? changedAt, IEnumerable<SignalsPoint> points)
    {
        var track = new EdgeSignalsTrack(history) { Last = last, ChangedAt = changedAt };
        foreach (var point in points) track._points.Enqueue(point);
        track.Trim();
        return track;
    }

    /// <summary>Takes <paramref name="sample"/>, read at <paramref name="now"/>; false when it is the one already held.</summary>
    public bool Add(EdgeSignalsSample sample, DateTimeOffset now)
    {
        if (Last is { } before && before.Run == sample.Run && before.At >= sample.At) return false;
        // A clock set back on the edge gives no point: no interval to divide by.
        if (Last is { } previous && sample.At > previous.At)
        {
            _points.Enqueue(SignalsPoint.Between(previous, sample));
            Added++;
        }
        (Last, ChangedAt) = (sample, now);
        Trim();
        return true;
    }

    private void Trim()
    {
        while (_points.Count > 0 && _points.Peek().At < Last!.Time - History) _points.Dequeue();
    }
}
