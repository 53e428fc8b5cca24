namespace GeoDns.Alerts;

/// <summary>Where an alert message stands on one channel.</summary>
public enum DeliveryStatus
{
    Pending,
    Sent,

    /// <summary>Failed, and tried again after a backoff.</summary>
    Retrying,

    /// <summary>Failed for <see cref="AlertOptions.GiveUpAfter"/>: not tried again.</summary>
    Failed,
}

public sealed record Delivery(string Channel, DeliveryStatus Status, int Attempts, string? Error, DateTimeOffset? At);

/// <summary>A message sent (or being sent) with its state on every channel.</summary>
public sealed record AlertRecord(int Id, AlertMessage Message, IReadOnlyList<Delivery> Deliveries);

/// <summary>
/// What the dispatcher keeps: each message with its delivery state, and the incidents firing (so a restart does not
/// send "edge down" again for an edge that was down before it). The sidecar keeps it in its state file.
/// </summary>
public interface IAlertLog
{
    IReadOnlySet<string> Firing();

    void SetFiring(string key, bool firing);

    int Add(AlertMessage message, IEnumerable<string> channels);

    void Update(int id, Delivery delivery);

    IReadOnlyList<AlertRecord> Recent(int count);
}

/// <summary>An <see cref="IAlertLog"/> in memory: what it held is gone at a restart.</summary>
public sealed class MemoryAlertLog : IAlertLog
{
    private readonly HashSet<string> _firing = [];
    private readonly List<AlertRecord> _records = [];
    private readonly Lock _lock = new();

    public IReadOnlySet<string> Firing()
    {
        lock (_lock) return _firing.ToHashSet();
    }

    public void SetFiring(string key, bool firing)
    {
        lock (_lock) _ = firing ? _firing.Add(key) : _firing.Remove(key);
    }

    public int Add(AlertMessage message, IEnumerable<string> channels)
    {
        lock (_lock)
        {
            var id = _records.Count + 1;
            _records.Add(new AlertRecord(id, message, [.. channels.Select(c => new Delivery(c, DeliveryStatus.Pending, 0, null, null))]));
            return id;
        }
    }

    public void Update(int id, Delivery delivery)
    {
        lock (_lock)
        {
            var record = _records[id - 1];
            _records[id - 1] = record with { Deliveries = [.. record.Deliveries.Select(d => d.Channel == delivery.Channel ? delivery : d)] };
        }
    }

    public IReadOnlyList<AlertRecord> Recent(int count)
    {
        lock (_lock) return _records.AsEnumerable().Reverse().Take(count).ToList();
    }
}
