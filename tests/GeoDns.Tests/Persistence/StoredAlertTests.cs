using GeoDns.Persistence;

namespace GeoDns.Tests.Persistence;

public sealed class StoredAlertTests : IDisposable
{
    private readonly StoreDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FiringKeysAndMessages_SurviveReopen_AndIdsGoOnAfterIt()
    {
        var store = _dir.Open();
        store.SetAlertFiring("home-silent", true);
        store.SetAlertFiring("other", true);
        store.SetAlertFiring("other", false);
        var first = store.AddAlert("{\"n\":1}");
        store.ReplaceAlert(first, "{\"n\":1,\"sent\":true}");

        var reopened = _dir.Reopen(store);
        var second = reopened.AddAlert("{\"n\":2}");

        Assert.Equal(["home-silent"], reopened.AlertsFiring());
        Assert.Equal([new StoredAlert(second, "{\"n\":2}"), new StoredAlert(first, "{\"n\":1,\"sent\":true}")], reopened.Alerts());
        Assert.Equal(first + 1, second);
    }

    [Fact]
    public void Messages_KeepTheNewestOnly()
    {
        var store = _dir.Open();
        for (var i = 1; i <= AlertTable.Retention + 3; i++) store.AddAlert($"{i}");

        var kept = store.Alerts(int.MaxValue);

        Assert.Equal(AlertTable.Retention, kept.Count);
        Assert.Equal(($"{AlertTable.Retention + 3}", "4"), (kept[0].Text, kept[^1].Text));
    }
}
