using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoDns.Alerts;
using GeoDns.Persistence;

namespace GeoDns.Server.Alerts;

/// <summary>
/// The dispatcher's log in the state file: the incidents firing (so a nameserver restarted during an outage does
/// not announce it again, and does announce its end) and each message with its state per channel. Deliveries are
/// not resumed after a restart: a message still pending then stays pending in the log. Counts every delivery
/// outcome since the start, per channel, for <c>/metrics</c>.
/// </summary>
public sealed class StoredAlertLog : IAlertLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly HealthStore _store;
    // This run's messages whose deliveries may still change: a delivery replaces one channel's entry of its record.
    private readonly Dictionary<int, AlertRecord> _open = [];
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<(string Channel, DeliveryStatus Status), long> _outcomes = new();

    /// <param name="channels">Counted from 0, so each channel's series exists before its first message.</param>
    public StoredAlertLog(HealthStore store, IEnumerable<string> channels)
    {
        _store = store;
        foreach (var channel in channels)
            foreach (var status in Outcomes) _outcomes[(channel, status)] = 0;
    }

    /// <summary>What a delivery attempt can end in: sent, failed and tried again later, failed and given up.</summary>
    public static readonly DeliveryStatus[] Outcomes = [DeliveryStatus.Sent, DeliveryStatus.Retrying, DeliveryStatus.Failed];

    /// <summary>Delivery attempts since the start by channel and outcome.</summary>
    public IReadOnlyList<(string Channel, DeliveryStatus Status, long Count)> Deliveries() =>
        [.. _outcomes.Select(o => (o.Key.Channel, o.Key.Status, o.Value)).OrderBy(o => o.Channel, StringComparer.Ordinal).ThenBy(o => o.Status)];

    public IReadOnlySet<string> Firing() => _store.AlertsFiring();

    public void SetFiring(string key, bool firing) => _store.SetAlertFiring(key, firing);

    public int Add(AlertMessage message, IEnumerable<string> channels)
    {
        var record = new AlertRecord(0, message, [.. channels.Select(c => new Delivery(c, DeliveryStatus.Pending, 0, null, null))]);
        lock (_lock)
        {
            var id = _store.AddAlert(JsonSerializer.Serialize(record, Json));
            _open[id] = record with { Id = id };
            return id;
        }
    }

    public void Update(int id, Delivery delivery)
    {
        _outcomes.AddOrUpdate((delivery.Channel, delivery.Status), 1, (_, n) => n + 1);
        lock (_lock)
        {
            if (!_open.TryGetValue(id, out var record)) return;
            record = record with { Deliveries = [.. record.Deliveries.Select(d => d.Channel == delivery.Channel ? delivery : d)] };
            _store.ReplaceAlert(id, JsonSerializer.Serialize(record, Json));
            if (record.Deliveries.All(d => d.Status is DeliveryStatus.Sent or DeliveryStatus.Failed)) _open.Remove(id);
            else _open[id] = record;
        }
    }

    public IReadOnlyList<AlertRecord> Recent(int count) =>
        [.. _store.Alerts(count).Select(s => JsonSerializer.Deserialize<AlertRecord>(s.Text, Json)! with { Id = s.Id })];
}
