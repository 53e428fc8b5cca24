using LiteDB;

namespace GeoDns.Persistence;

/// <summary>
/// The host's alerts: the incidents firing, one document per key, and the messages sent, newest
/// <see cref="Retention"/> kept. Each message is kept as the host wrote it and never read here: what an alert is
/// belongs to the host, and the engine does not depend on its alerts library.
/// </summary>
internal sealed class AlertTable
{
    /// <summary>Enough for weeks of incidents; past it the oldest messages go (their incidents stay firing if they are).</summary>
    public const int Retention = 500;

    private readonly ILiteCollection<BsonDocument> _firing;
    private readonly ILiteCollection<BsonDocument> _messages;
    // The id is ours, not LiteDB's: the host needs it back at once to record each channel's delivery.
    private readonly Lock _adding = new();
    private int _lastId;

    public AlertTable(LiteDatabase db)
    {
        _firing = db.GetCollection("alertsFiring");
        _messages = db.GetCollection("alerts");
        _lastId = _messages.Count() == 0 ? 0 : _messages.Max().AsInt32;
    }

    public IReadOnlySet<string> Firing() => _firing.FindAll().Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);

    public bool SetFiring(string key, bool firing) => firing ? _firing.Upsert(new BsonDocument { ["_id"] = key }) : _firing.Delete(key);

    public int Add(string text)
    {
        lock (_adding)
        {
            var id = ++_lastId;
            _messages.Insert(new BsonDocument { ["_id"] = id, ["text"] = text });
            _messages.DeleteMany("$._id <= @0", id - Retention);
            return id;
        }
    }

    public void Replace(int id, string text) => _messages.Update(new BsonDocument { ["_id"] = id, ["text"] = text });

    public IReadOnlyList<StoredAlert> Newest(int take) =>
        _messages.Query().OrderByDescending("_id").Limit(take).ToEnumerable().Select(d => new StoredAlert(d["_id"].AsInt32, d["text"].AsString)).ToList();
}
