using GeoDns.Pools;
using LiteDB;

namespace GeoDns.Persistence;

/// <summary>The edges collection: edges added at run time, one document per (pool, name).</summary>
internal sealed class EdgeTable
{
    // Unit separator: cannot occur in a pool (a DNS name) or a sane edge name, so keys never collide.
    private const char Separator = '\u001f';
    private readonly ILiteCollection<BsonDocument> _rows;

    public EdgeTable(LiteDatabase db) => _rows = db.GetCollection("edges");

    public IReadOnlyList<StoredEdge> All() =>
        _rows.FindAll().Select(Read)
            .OrderBy(e => e.Pool, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

    public void Upsert(StoredEdge e) => _rows.Upsert(Write(e));

    public bool Remove(string pool, string name) => _rows.Delete(Key(pool, name));

    private static string Key(string pool, string name) => pool + Separator + name;

    private static BsonDocument Write(StoredEdge e) => new()
    {
        ["_id"] = Key(e.Pool, e.Name),
        ["pool"] = e.Pool,
        ["name"] = e.Name,
        ["ipv4"] = e.Ipv4,
        ["ipv6"] = e.Ipv6,
        ["latitude"] = Number(e.Latitude),
        ["longitude"] = Number(e.Longitude),
        ["country"] = e.Country,
        ["weight"] = e.Weight,
        ["added"] = e.Added.UtcTicks,
    };

    private static StoredEdge Read(BsonDocument d) => new(
        d["pool"].AsString,
        d["name"].AsString,
        d["ipv4"].AsString,
        d["ipv6"].AsString,
        d["latitude"].IsNull ? null : d["latitude"].AsDouble,
        d["longitude"].IsNull ? null : d["longitude"].AsDouble,
        d["country"].AsString,
        d["weight"].AsDouble,
        new DateTimeOffset(d["added"].AsInt64, TimeSpan.Zero));

    private static BsonValue Number(double? value) => value is { } v ? v : BsonValue.Null;
}
