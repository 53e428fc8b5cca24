using GeoDns.Health;
using GeoDns.Pools;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tests.Pools;
using GeoDns.Transfer;
using GeoDns.Updates;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Transfer;

public sealed class ServedZonesTests : IDisposable
{
    private static readonly DnsName Origin = DnsName.Parse("example.com"), App = DnsName.Parse("app.example.com");
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    private static RoutingTable Routes(bool transfer)
    {
        var options = PoolFixture.App();
        options.Transfer = transfer;
        return RoutingTableBuilder.Build(PoolFixture.Build(options), HealthReport.Empty, new Dictionary<string, EdgeOverride>());
    }

    private ServedZone Compose(RoutingTable routes, DynamicRecords? dynamic = null, ServedZones? served = null)
    {
        served ??= new ServedZones(_dir["journal"], _time);
        served.Compose(PoolFixture.Zones(), routes, dynamic ?? new DynamicRecords(_dir["dynamic"]), _ => true);
        served.Announce(); // as the publisher does once the version is answered
        return served.Find(Origin)!;
    }

    [Fact]
    public void Transfer_CarriesPoolAnswerAsPlainRecords_OtherDataAtThePoolNameKept()
    {
        var zone = Compose(Routes(transfer: true));

        var atPool = zone.Version.Records.Where(r => r.Owner == App).Select(r => r.Type).Order().ToArray();
        Assert.Equal([DnsType.A, DnsType.A, DnsType.A, DnsType.TXT, DnsType.AAAA], atPool); // allDown=all with no probe yet: every edge; TXT stays
        Assert.All(zone.Version.Records.Where(r => r.Owner == App && r.Type != DnsType.TXT), r => Assert.Equal(30u, r.Ttl)); // the pool TTL
        Assert.Equal(1_800_000_000u, zone.Version.Serial); // more than the file: the scheme moves past its serial
        Assert.Equal(zone.Version.Serial, Serial.Of(zone.Answered.Records[0])); // answers carry the same serial
    }

    [Fact]
    public void Transfer_PoolSwitchedOff_LeavesItOut_KeepsTheFileSerial()
    {
        var zone = Compose(Routes(transfer: false));

        Assert.Equal([DnsType.TXT], zone.Version.Records.Where(r => r.Owner == App).Select(r => r.Type));
        Assert.Equal(1u, zone.Version.Serial);
    }

    [Fact]
    public void DynamicRecord_AnsweredAndTransferred_SerialMovesOnce()
    {
        var served = new ServedZones(_dir["journal"], _time);
        var dynamic = new DynamicRecords(_dir["dynamic"]);
        var changes = 0;
        served.Changed += (_, _) => changes++;
        Compose(Routes(false), dynamic, served);
        var txt = new ResourceRecord(DnsName.Parse("_acme-challenge.example.com"), DnsType.TXT, 60, [3, (byte)'a', (byte)'b', (byte)'c']);
        dynamic.Replace(Origin, [txt]);

        var zone = Compose(Routes(false), dynamic, served);
        Compose(Routes(false), dynamic, served); // nothing new: no new version

        Assert.Contains(txt, zone.Answered.Records);
        Assert.Contains(txt, zone.Version.Records);
        Assert.Equal(2, changes);
        Assert.Equal(1_800_000_000u, zone.Version.Serial);
        Assert.Equal([txt.ToString()], new DynamicRecords(_dir["dynamic"]).For(Origin).Select(r => r.ToString())); // on disk
    }

    [Fact]
    public void HealthMoves_OnlyThePoolsRecordsAndTheSerial_AnnouncedOnceAnswered()
    {
        var served = new ServedZones(_dir["journal"], _time);
        var announced = new List<uint>();
        served.Changed += (_, version) => announced.Add(version.Serial);
        var options = PoolFixture.App();
        options.Transfer = true;
        var pools = PoolFixture.Build(options);
        var first = pools.Targets()[0];
        HealthReport Health(HealthState firstState) => new(pools.Targets().ToDictionary(t => t, t => new TargetStatus(t == first ? firstState : HealthState.Up, _time.GetUtcNow(), null, 0, 0)));
        var before = Compose(RoutingTableBuilder.Build(pools, Health(HealthState.Up), new Dictionary<string, EdgeOverride>()), served: served);
        announced.Clear();
        var down = Health(HealthState.Down);

        var serials = served.Follow(RoutingTableBuilder.Build(pools, down, new Dictionary<string, EdgeOverride>()));

        var after = served.Find(Origin)!;
        Assert.True(Serial.Newer(serials[Origin], before.Version.Serial));
        Assert.Equal(serials[Origin], after.Version.Serial);
        var step = Assert.Single(served.Since(Origin, before.Version.Serial)!.Value.Steps!);
        Assert.All(step.Removed.Concat(step.Added), r => Assert.Equal(App, r.Owner)); // nothing else of the zone moved
        Assert.NotEmpty(step.Removed);
        Assert.Empty(announced); // not before the publisher says the version is answered
        served.Announce();
        Assert.Equal([after.Version.Serial], announced);
        Assert.Equal(before.Answered, after.Answered); // the answers' zone is not recomposed: the table's serial moves instead
    }

    public void Dispose() => _dir.Dispose();
}
