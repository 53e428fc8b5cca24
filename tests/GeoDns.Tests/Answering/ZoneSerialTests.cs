using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;

namespace GeoDns.Tests.Answering;

/// <summary>
/// A zone's served serial moves without a rebuild (a pool's records moved in a transferred zone): every reply
/// that carries the zone's SOA carries the new serial, whether the build rendered it or a query did (DNAME).
/// </summary>
public sealed class ZoneSerialTests
{
    [Theory]
    [InlineData("example.com", DnsType.SOA, true, "example.com")]      // the SOA answer
    [InlineData("example.com", DnsType.ANY, true, "example.com")]      // RFC 8482: ANY's one RRset is the SOA here
    [InlineData("nope.example.com", DnsType.A, false, "example.com")]  // NXDOMAIN
    [InlineData("www.example.com", DnsType.MX, false, "example.com")]  // NODATA
    [InlineData("ns2.example.com", DnsType.TXT, false, "example.com")] // NODATA shared by content with www's
    [InlineData("x.old.example.com", DnsType.A, false, "example.net")] // below a DNAME, rendered per query: NXDOMAIN at its target
    public void SerialMoved_EveryReplyCarryingTheSoa_CarriesIt(string name, ushort type, bool inAnswer, string zone)
    {
        var zones = new AnswerFixture();
        Assert.True(zones.Responder.Table.SetSerial(DnsName.Parse(zone), 2026120700));

        var reply = zones.Ask(name, type);

        var soa = (inAnswer ? reply.AnswerRecords : reply.AuthorityRecords).OfType<SoaRecord>().Single(r => r.Name.ToString() == zone + ".");
        Assert.Equal(2026120700u, soa.SerialNumber);
        Assert.Equal(3600, soa.RefreshInterval); // the fields after the serial are the zone's, untouched
    }

    [Fact]
    public void SerialMoved_OtherZonesKeepTheirs_AndAnUnservedZoneIsNoChange()
    {
        var zones = new AnswerFixture();

        zones.Responder.Table.SetSerial(DnsName.Parse("example.com"), 2026120700);

        Assert.Equal(7u, zones.Ask("nope.example.net", DnsType.A).AuthorityRecords.OfType<SoaRecord>().Single().SerialNumber);
        Assert.False(zones.Responder.Table.SetSerial(DnsName.Parse("example.org"), 1));
    }
}
