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
}
