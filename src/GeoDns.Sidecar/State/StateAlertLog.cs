using GeoDns.Alerts;

namespace GeoDns.Sidecar.State;

/// <summary>
/// The alert log in the state file: the incidents firing, so a restarted daemon does not announce an edge that was
/// down before it again, and the recent messages with their delivery state, for the panel and the metrics.
/// Only the newest <see cref="Kept"/> messages are kept.
/// </summary>
public sealed class StateAlertLog(StateFile state) : IAlertLog
{
    public const int Kept = 500;
    private const string Messages = "alerts";
    private const string FiringCollection = "alerts_firing";

    private sealed record FiringSince(DateTimeOffset? Since);

    private readonly Lock _lock = new();

    public IReadOnlySet<string> Firing()
    {
        lock (_lock) return state.All<FiringSince>(FiringCollection).Select(r => r.Id.AsString).ToHashSet();
    }

    public void SetFiring(string key, bool firing)
    {
        lock (_lock)
        {
            if (firing) state.Put(FiringCollection, key, new FiringSince(DateTimeOffset.UtcNow));
            else state.Delete(FiringCollection, key);
        }
    }

    public int Add(AlertMessage message, IEnumerable<string> channels)
    {
        lock (_lock)
        {
            var id = state.NextId(Messages);
            state.Put(Messages, id, new AlertRecord(id, message, [.. channels.Select(c => new Delivery(c, DeliveryStatus.Pending, 0, null, null))]));
            if (id > Kept) state.Delete(Messages, id - Kept);
            return id;
        }
    }

    public void Update(int id, Delivery delivery)
    {
        lock (_lock)
        {
            if (state.Get<AlertRecord>(Messages, id) is not { } record) return; // pruned meanwhile
            state.Put(Messages, id, record with { Deliveries = [.. record.Deliveries.Select(d => d.Channel == delivery.Channel ? delivery : d)] });
        }
    }

    public IReadOnlyList<AlertRecord> Recent(int count)
    {
        lock (_lock) return state.All<AlertRecord>(Messages).Select(r => r.Value).OrderByDescending(r => r.Id).Take(count).ToList();
    }
}
