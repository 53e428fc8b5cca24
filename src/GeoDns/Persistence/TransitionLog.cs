using GeoDns.Health;
using LiteDB;

namespace GeoDns.Persistence;

/// <summary>
/// The transitions collection, bounded: every <see cref="TrimEvery"/> inserts (and on open) the
/// oldest rows beyond the retention are deleted in one go, so it holds at most
/// retention + TrimEvery - 1 rows, and exactly the retention right after a trim.
/// </summary>
internal sealed class TransitionLog
{
    private readonly ILiteCollection<BsonDocument> _rows;
    private readonly int _retention;
    private readonly Lock _trimming = new();
    private long _lastId;
    private int _sinceTrim;

    public TransitionLog(LiteDatabase db, int retention)
    {
        _rows = db.GetCollection("transitions");
        _rows.EnsureIndex("order", "$.order");
        _rows.EnsureIndex("target", "$.target");
        _retention = retention;
        // About 1% slack: a trim (a count and a range delete) per insert would double the write cost.
        TrimEvery = Math.Clamp(retention / 100, 1, 100);
        _lastId = _rows.Count() == 0 ? 0 : _rows.Max().AsInt64;
        Trim();
    }

    public int TrimEvery { get; }

    public void Add(HealthTransition t)
    {
        // Our own sequence rather than LiteDB's auto id: the sort key needs the id before the insert.
        var id = Interlocked.Increment(ref _lastId);
        _rows.Insert(new BsonDocument
        {
            ["_id"] = id,
            ["order"] = Order(t.At, id),
            ["target"] = t.Target,
            ["from"] = t.From.ToString(),
            ["to"] = t.To.ToString(),
            ["reason"] = t.Reason,
            ["latencyMs"] = t.Latency is { } latency ? latency.TotalMilliseconds : BsonValue.Null,
            ["at"] = t.At.UtcTicks,
        });
        if (Interlocked.Increment(ref _sinceTrim) % TrimEvery == 0) Trim();
    }

    public IReadOnlyList<HealthTransition> Newest(int skip, int take, string? target)
    {
        var query = _rows.Query();
        if (target is not null) query = query.Where("$.target = @0", target);
        return query.OrderByDescending("$.order").Skip(skip).Limit(take).ToEnumerable().Select(Read).ToList();
    }

    private void Trim()
    {
        lock (_trimming)
        {
            var excess = _rows.Count() - _retention;
            if (excess <= 0) return;
            var lastToGo = _rows.Query().OrderBy("$.order").Offset(excess - 1).Limit(1).First()["order"];
            _rows.DeleteMany("$.order <= @0", lastToGo);
        }
    }

    // One index gives "At descending, then id descending": fixed-width UTC ticks, then the id, as text.
    private static string Order(DateTimeOffset at, long id) => $"{at.UtcTicks:D19}{id:D19}";

    private static HealthTransition Read(BsonDocument d) => new(
        d["target"].AsString,
        Enum.Parse<HealthState>(d["from"].AsString),
        Enum.Parse<HealthState>(d["to"].AsString),
        d["reason"].AsString,
        d["latencyMs"].IsNull ? null : TimeSpan.FromTicks((long)Math.Round(d["latencyMs"].AsDouble * TimeSpan.TicksPerMillisecond)),
        new DateTimeOffset(d["at"].AsInt64, TimeSpan.Zero));
}
