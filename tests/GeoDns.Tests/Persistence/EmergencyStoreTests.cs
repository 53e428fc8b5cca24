using GeoDns.Pools;

namespace GeoDns.Tests.Persistence;

public sealed class EmergencyStoreTests : IDisposable
{
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void On_SurvivesReopen_WithItsSinceAndReason_OneEvent()
    {
        var store = _dir.Open();
        var on = store.SetEmergency("app.example.com", true, "under attack");

        store = _dir.Reopen(store);

        Assert.Equal((new EmergencySwitch(_dir.Time.GetUtcNow(), "under attack"), true), on);
        Assert.Equal(on.Now, Assert.Single(store.Emergencies()).Value);
        Assert.Equal(on.Now, store.Emergencies()["APP.example.com"]); // names ignore case, as DNS does
        Assert.Equal([new EmergencyEvent("app.example.com", true, "under attack", _dir.Time.GetUtcNow())], store.EmergencyEvents());
    }

    [Fact]
    public void OnAgain_KeepsSince_TakesANewReason_NoSecondEvent()
    {
        var store = _dir.Open();
        var first = store.SetEmergency("app.example.com", true, "under attack").Now!;
        _dir.Time.Advance(TimeSpan.FromMinutes(5));

        var again = store.SetEmergency("app.example.com", true, "still under attack");
        var unchanged = store.SetEmergency("app.example.com", true);

        Assert.Equal((first with { Reason = "still under attack" }, false), again);
        Assert.Equal((again.Now, false), unchanged);
        Assert.Single(store.EmergencyEvents());
    }

    [Fact]
    public void Off_RemovesTheRow_LogsIt_OffWhenOffChangesNothing()
    {
        var store = _dir.Open();
        store.SetEmergency("app.example.com", true, "maintenance");
        _dir.Time.Advance(TimeSpan.FromMinutes(1));

        var off = store.SetEmergency("app.example.com", false);
        var offAgain = store.SetEmergency("app.example.com", false);

        Assert.Equal(((EmergencySwitch?)null, true), off);
        Assert.Equal(((EmergencySwitch?)null, false), offAgain);
        store = _dir.Reopen(store);
        Assert.Empty(store.Emergencies());
        Assert.Equal([(false, _dir.Time.GetUtcNow()), (true, _dir.Time.GetUtcNow() - TimeSpan.FromMinutes(1))], store.EmergencyEvents().Select(e => (e.On, e.At)));
    }
}
