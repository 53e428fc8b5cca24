using GeoDns.Pools;
using LiteDB;

namespace GeoDns.Persistence;

/// <summary>
/// The pools' emergency switches: one document per pool while its switch is on (<c>emergencies</c>), and each time one
/// was turned on or off, newest <see cref="Retention"/> kept (<c>emergencyLog</c>).
/// </summary>
internal sealed class EmergencyTable
{
    /// <summary>Switches are turned by hand: this is years of them.</summary>
    public const int Retention = 1000;

    private readonly ILiteCollection<BsonDocument> _on;
    private readonly NumberedLog _log;
    // Read-modify-write: two operators switching at once must not lose either change.
    private readonly Lock _changing = new();

    public EmergencyTable(LiteDatabase db)
    {
        _on = db.GetCollection("emergencies");
        _log = new NumberedLog(db.GetCollection("emergencyLog"), Retention);
    }

    public IReadOnlyDictionary<string, EmergencySwitch> All() =>
        _on.FindAll().ToDictionary(d => d["_id"].AsString, Read, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Turns the switch on (kept on since it was first turned on; a reason given replaces the one kept) or off; the log
    /// gets a line only when it moved. Returns the switch as it is now, null when off, and whether it moved.
    /// </summary>
    public (EmergencySwitch? Now, bool Moved) Set(string pool, bool on, string? reason, DateTimeOffset at)
    {
        lock (_changing)
        {
            var current = _on.FindById(pool) is { } stored ? Read(stored) : null;
            if (!on)
            {
                if (current is null) return (null, false);
                _on.Delete(pool);
                Log(pool, false, reason, at);
                return (null, true);
            }
            var next = current is null ? new EmergencySwitch(at, reason) : reason is null ? current : current with { Reason = reason };
            _on.Upsert(new BsonDocument { ["_id"] = pool, ["since"] = next.Since.UtcTicks, ["reason"] = next.Reason });
            if (current is null) Log(pool, true, reason, at);
            return (next, current is null);
        }
    }

    public IReadOnlyList<EmergencyEvent> Newest(int take) =>
        _log.Newest(take).Select(d => new EmergencyEvent(
            d["pool"].AsString, d["on"].AsBoolean, d["reason"].IsNull ? null : d["reason"].AsString, new DateTimeOffset(d["at"].AsInt64, TimeSpan.Zero))).ToList();

    private void Log(string pool, bool on, string? reason, DateTimeOffset at) =>
        _log.Add(new BsonDocument { ["pool"] = pool, ["on"] = on, ["reason"] = reason, ["at"] = at.UtcTicks });

    private static EmergencySwitch Read(BsonDocument d) =>
        new(new DateTimeOffset(d["since"].AsInt64, TimeSpan.Zero), d["reason"].IsNull ? null : d["reason"].AsString);
}
