using GeoDns.Health;

namespace GeoDns.Tests.Persistence;

public sealed class OverrideTests : IDisposable
{
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Drain_SurvivesReopen()
    {
        var store = _dir.Open();
        var drained = store.SetDrained("edge-fra", true, "kernel upgrade");

        store = _dir.Reopen(store);

        var stored = Assert.Single(store.Overrides());
        Assert.Equal("edge-fra", stored.Key);
        Assert.Equal(drained, stored.Value);
        Assert.True(stored.Value.Drained);
        Assert.Null(stored.Value.Forced);
        Assert.Equal(_dir.Time.GetUtcNow(), stored.Value.Changed);
        Assert.Equal("kernel upgrade", stored.Value.Reason);
    }

    [Fact]
    public void Undrain_RemovesTheRow()
    {
        var store = _dir.Open();
        store.SetDrained("edge-fra", true);

        var undrained = store.SetDrained("edge-fra", false);

        Assert.True(undrained.IsNeutral);
        Assert.Empty(store.Overrides());
        Assert.Empty(_dir.Reopen(store).Overrides());
    }

    [Theory]
    [InlineData(HealthState.Up)]
    [InlineData(HealthState.Down)]
    public void Force_SurvivesReopen_AndClearingRemovesIt(HealthState forced)
    {
        var store = _dir.Open();
        store.SetForced("edge-sgp", forced, "provider incident");

        store = _dir.Reopen(store);
        Assert.Equal(forced, store.Overrides()["edge-sgp"].Forced);

        store.SetForced("edge-sgp", null);
        Assert.Empty(_dir.Reopen(store).Overrides());
    }

    [Fact]
    public void DrainAndForce_AreKeptTogether_UntilBothAreCleared()
    {
        var store = _dir.Open();
        store.SetDrained("edge-nyc", true);
        _dir.Time.Advance(TimeSpan.FromMinutes(5));
        var both = store.SetForced("edge-nyc", HealthState.Down, "both");

        Assert.Equal(new(true, HealthState.Down, _dir.Time.GetUtcNow(), "both"), both);
        store.SetDrained("edge-nyc", false);
        Assert.Equal(HealthState.Down, store.Overrides()["EDGE-NYC"].Forced); // names ignore case, as DNS does
        store.SetForced("edge-nyc", null);
        Assert.Empty(store.Overrides());
    }

    [Theory]
    [InlineData(HealthState.Unknown)]
    [InlineData(HealthState.Suspect)]
    [InlineData((HealthState)42)]
    public void Force_OtherThanUpOrDown_IsRejected(HealthState forced)
    {
        var store = _dir.Open();

        Assert.Throws<ArgumentException>(() => store.SetForced("edge-fra", forced));
        Assert.Empty(store.Overrides());
    }
}
