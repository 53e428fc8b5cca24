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
    private readonly NumberedLog _messages;

    public AlertTable(LiteDatabase db)
    {
        _firing = db.GetCollection("alertsFiring");
        // Numbered by us: the host needs the number back at once to record each channel's delivery.
        _messages = new NumberedLog(db.GetCollection("alerts"), Retention);
    }

    public IReadOnlySet<string> Firing() => _firing.FindAll().Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);

    public bool SetFiring(string key, bool firing) => firing ? _firing.Upsert(new BsonDocument { ["_id"] = key }) : _firing.Delete(key);

    public int Add(string text) => _messages.Add(new BsonDocument { ["text"] = text });

    public void Replace(int id, string text) => _messages.Replace(id, new BsonDocument { ["text"] = text });

    public IReadOnlyList<StoredAlert> Newest(int take) => [.. _messages.Newest(take).Select(d => new StoredAlert(d["_id"].AsInt32, d["text"].AsString))];
}
