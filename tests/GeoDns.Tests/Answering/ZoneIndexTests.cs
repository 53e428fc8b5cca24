using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Tests.Zones;
using GeoDns.Zones;

namespace GeoDns.Tests.Answering;

public sealed class ZoneIndexTests
{
    [Fact]
    public void Index_RecordsOfAnRRsetApart_OneRRsetEachInTheOrderFirstWritten()
    {
        var text = "$TTL 60\n@ SOA ns1 hostmaster 1 3600 600 1209600 60\n@ NS ns1\nns1 A 192.0.2.1\n" +
                   "www 300 A 192.0.2.10\nwww AAAA 2001:db8::1\nmail A 192.0.2.20\nwww 120 A 192.0.2.11\n";
        var zone = ZoneFileParser.Parse(text, ZoneText.Origin, "z.zone").Zone!;

        var www = new ZoneIndex(new ZoneSet([zone], [])).Find(DnsName.Parse("www.example.com"))!;

        Assert.Equal([DnsType.A, DnsType.AAAA], www.RRsets.ToArray().Select(s => s.Type));
        var a = www.RRsets[0];
        Assert.Equal(120u, a.Ttl); // RFC 2181 §5.2: one TTL per RRset, the lowest written
        Assert.Equal(["192.0.2.10", "192.0.2.11"], a.Records.Select(r => new System.Net.IPAddress(r.Data).ToString()));
        Assert.Same(a, www.First()); // ANY answers the first RRset (RFC 8482)
    }

    /// <summary>
    /// A zone whose records include owners outside it (never from a checked file or transfer, but the index must not
    /// trust that): those owners are skipped, and marking cuts and DNAMEs still ends, since a walk up from a name
    /// outside the zone would never reach its apex. Bounded, so a walk that never ends fails instead of hanging.
    /// </summary>
    [Fact]
    public async Task Index_OwnerOutsideTheZone_Skipped_AndMarkingEnds()
    {
        var origin = DnsName.Parse("example.test.");
        var ns = DnsName.Parse("ns1.example.test.").Wire;
        var zone = new Zone(origin,
        [
            new(origin, DnsType.SOA, 60, [.. ns, .. DnsName.Parse("hostmaster.example.test.").Wire, 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 2, 88, 0, 18, 117, 0, 0, 0, 0, 60]),
            new(origin, DnsType.NS, 60, ns),
            new(DnsName.Parse("ns1.example.test."), DnsType.A, 60, [192, 0, 2, 1]),
            new(DnsName.Parse("hijack.invalid."), DnsType.A, 60, [192, 0, 2, 66]),             // unrelated to the zone
            new(DnsName.Parse("hijack.invalid."), DnsType.NS, 60, ns),
            new(DnsName.Parse("test."), DnsType.DNAME, 60, DnsName.Parse("evil.invalid.").Wire), // above the apex
            new(DnsName.Parse("sub.example.test."), DnsType.NS, 60, ns),                         // a cut inside, still marked
            new(DnsName.Parse("a.sub.example.test."), DnsType.A, 60, [192, 0, 2, 2]),
        ], "example.test.zone", DateTimeOffset.UnixEpoch);

        var index = await Task.Run(() => new ZoneIndex(new ZoneSet([zone], []), [DnsName.Parse("www.hijack.invalid.")]))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(index.Find(DnsName.Parse("hijack.invalid.")));
        Assert.Null(index.Find(DnsName.Parse("invalid.")));
        Assert.Null(index.Find(DnsName.Parse("test.")));
        Assert.Null(index.FindClosest(DnsName.Parse("www.hijack.invalid.")));
        Assert.Empty(index.Slots);
        Assert.All(index.Nodes, n => Assert.True(n.Name.IsAtOrBelow(origin), $"{n.Name} is outside {origin}"));
        var below = index.Find(DnsName.Parse("a.sub.example.test."))!;
        Assert.Equal(DnsName.Parse("sub.example.test."), below.Cut?.Name);
        Assert.Null(index.Find(DnsName.Parse("ns1.example.test."))!.Dname);
    }
}
