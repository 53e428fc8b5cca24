using GeoDns.Pools;
using GeoDns.Health;
using LiteDB;

namespace GeoDns.Persistence;

/// <summary>The overrides collection: one document per edge name, present only while something is overridden.</summary>
internal sealed class OverrideTable
{
    private readonly ILiteCollection<BsonDocument> _rows;
    // Read-modify-write: two operators draining and forcing the same edge at once must not lose either change.
    private readonly Lock _changing = new();

    public OverrideTable(LiteDatabase db) => _rows = db.GetCollection("overrides");

    public IReadOnlyDictionary<string, EdgeOverride> All() =>
        _rows.FindAll().ToDictionary(d => d["_id"].AsString, Read, StringComparer.OrdinalIgnoreCase);

    public EdgeOverride Change(string edge, Func<EdgeOverride, EdgeOverride> change)
    {
        lock (_changing)
        {
            var current = _rows.FindById(edge) is { } stored ? Read(stored) : new EdgeOverride(false, null, default, null);
            var next = change(current);
            if (next.IsNeutral) _rows.Delete(edge);
            else _rows.Upsert(Write(edge, next));
            return next;
        }
    }

    private static BsonDocument Write(string edge, EdgeOverride o) => new()
    {
        ["_id"] = edge,
        ["drained"] = o.Drained,
        ["forced"] = o.Forced?.ToString(),
        ["changed"] = o.Changed.UtcTicks,
        ["reason"] = o.Reason,
    };

    private static EdgeOverride Read(BsonDocument d) => new(
        d["drained"].AsBoolean,
        d["forced"].IsNull ? null : Enum.Parse<HealthState>(d["forced"].AsString),
        new DateTimeOffset(d["changed"].AsInt64, TimeSpan.Zero),
        d["reason"].AsString);
}
