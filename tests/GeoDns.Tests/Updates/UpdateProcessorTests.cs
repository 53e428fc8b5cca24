using System.Buffers.Binary;
using GeoDns.Protocol;
using GeoDns.Updates;
using GeoDns.Zones;

namespace GeoDns.Tests.Updates;

/// <summary>One UPDATE at a time against a small zone, as the exchange applies it: rcodes and what would be stored.</summary>
public sealed class UpdateProcessorTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com"), Key = DnsName.Parse("dyn");
    private static readonly IReadOnlyList<ResourceRecord> ZoneFile = ZoneFileParser.Parse("""
        $ORIGIN example.com.
        @    300 IN SOA ns1 hostmaster 1 3600 600 1209600 60
        @    300 IN NS  ns1
        ns1  300 IN A   127.0.0.1
        www  300 IN A   127.0.0.10
        """, Origin, "example.com.zone").Zone!.Records;
    private static readonly DnsName[] Pools = [DnsName.Parse("app.example.com"), DnsName.Parse("app.edge.example.com")];

    private static UpdatePolicy Policy(params string[] types)
    {
        var errors = new List<string>();
        var policy = UpdatePolicy.From(new UpdatePolicyOptions { Key = "dyn", Zone = "example.com", Names = ["@", "www", "app", "edge", "host", "*.dyn"], Types = [.. types] }, errors);
        Assert.Empty(errors);
        return policy!;
    }

    /// <summary>An UPDATE of example.com adding (class IN) or deleting (class NONE) the given records.</summary>
    private static MessageReader Update(params (string Owner, ushort Type, ushort Class, byte[] Data)[] records)
    {
        var message = new List<byte> { 0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, (byte)(records.Length >> 8), (byte)records.Length, 0, 0 };
        message.AddRange([.. Origin.Wire, 0, 6, 0, 1]);
        foreach (var (owner, type, @class, data) in records)
        {
            var fixedPart = new byte[10];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), @class);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), @class == 1 ? 60u : 0u);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
            message.AddRange([.. DnsName.Parse(owner).Wire, .. fixedPart, .. data]);
        }
        return MessageReader.Read([.. message])!;
    }

    private static (string, ushort, ushort, byte[]) Add(string owner, ushort type, byte[] data) => (owner, type, 1, data);

    private static byte[] Text(string text) => [(byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text)];

    private static UpdateOutcome Apply(MessageReader update, IReadOnlyList<ResourceRecord>? dynamic = null, UpdateLimits? limits = null, params string[] types) =>
        UpdateProcessor.Apply(update, Origin, ZoneFile, dynamic ?? [], Key, [Policy(types.Length == 0 ? ["TXT", "A", "NS", "CNAME", "DNAME", "SRV", "CAA", "MX"] : types)], limits ?? UpdateLimits.Default, Pools);

    public static TheoryData<string, ushort, byte[]> MalformedRdata => new()
    {
        { "host.example.com", DnsType.TXT, [5, (byte)'a', (byte)'b'] },           // a character-string running past the RDATA
        { "host.example.com", DnsType.TXT, [] },                                      // no character-string at all
        { "host.example.com", DnsType.A, [127, 0, 0] },                               // an address of 3 octets
        { "host.example.com", DnsType.DNAME, [64, .. new byte[64], 0] },              // a label of 64 octets
        { "host.example.com", DnsType.DNAME, [3, (byte)'w', (byte)'w', (byte)'w'] },  // a name without its root label
        { "host.example.com", DnsType.SRV, [0, 1, 0, 1, 0, 80, 3, (byte)'w'] },       // a target cut short
        { "host.example.com", DnsType.CAA, [0, 0, (byte)'x'] },                       // an empty tag
    };

    [Theory]
    [MemberData(nameof(MalformedRdata))]
    public void Add_MalformedRdata_FormErr_NothingStored(string owner, ushort type, byte[] data)
    {
        var outcome = Apply(Update(Add(owner, type, data)));
        Assert.Equal((Rcode.FormErr, null), (outcome.Rcode, outcome.Dynamic));
    }

    [Fact]
    public void Add_WellFormedRdata_Stored()
    {
        var outcome = Apply(Update(Add("host.example.com", DnsType.TXT, [.. Text("a"), .. Text("bc")]), Add("host.example.com", DnsType.A, [127, 0, 0, 2])));
        Assert.Equal(Rcode.NoError, outcome.Rcode);
        Assert.Equal(2, outcome.Dynamic!.Count);
    }

    [Theory]
    [InlineData("example.com", DnsType.NS)]            // the apex: a second set of nameservers for the zone
    [InlineData("example.com", DnsType.DNAME)]
    [InlineData("example.com", DnsType.CNAME)]         // the apex: an alias for the whole zone
    [InlineData("app.example.com", DnsType.CNAME)]     // the pool itself
    [InlineData("app.example.com", DnsType.NS)]
    [InlineData("edge.example.com", DnsType.NS)]       // above the pool app.edge: a delegation takes it away
    [InlineData("edge.example.com", DnsType.DNAME)]
    [InlineData("edge.example.com", DnsType.CNAME)]    // above the pool: an alias there answers in its place
    public void Add_AliasOrDelegation_AtApexOrAtOrAbovePool_RefusedWhateverThePolicy(string owner, ushort type)
    {
        var outcome = Apply(Update(Add(owner, type, DnsName.Parse("elsewhere.example.net").Wire)));
        Assert.Equal((Rcode.Refused, null), (outcome.Rcode, outcome.Dynamic));
        // Refused by the apex/pool rule itself, not by the policy (it allows every type here) nor by a later check.
        Assert.Matches("zone apex|would take the pool", outcome.Reason);
    }

    [Fact]
    public void Add_CnameBesideNoPool_Allowed() =>
        Assert.Equal(Rcode.NoError, Apply(Update(Add("a.dyn.example.com", DnsType.CNAME, DnsName.Parse("elsewhere.example.net").Wire))).Rcode);

    [Fact]
    public void Add_PastTheRecordCap_Refused_ButDeletingFromAnOverfullZoneGoesThrough()
    {
        var limits = new UpdateLimits(Records: 2, Bytes: 1_000_000);
        var two = Apply(Update(Add("a.dyn.example.com", DnsType.TXT, Text("1")), Add("b.dyn.example.com", DnsType.TXT, Text("2"))), limits: limits).Dynamic!;

        var third = Apply(Update(Add("c.dyn.example.com", DnsType.TXT, Text("3"))), two, limits);
        var shrink = Apply(Update(("a.dyn.example.com", DnsType.TXT, 254, Text("1"))), two, new UpdateLimits(1, 1));

        Assert.Equal((Rcode.Refused, null), (third.Rcode, third.Dynamic));
        Assert.Contains("maxDynamicRecords", third.Reason);
        Assert.Equal(Rcode.NoError, shrink.Rcode);
        Assert.Single(shrink.Dynamic!);
    }

    [Fact]
    public void Add_PastTheByteCap_Refused()
    {
        // host.example.com. (18) + type, class, TTL, length (10) + 101 octets of TXT: 129 bytes.
        var outcome = Apply(Update(Add("host.example.com", DnsType.TXT, Text(new string('x', 100)))), limits: new UpdateLimits(Records: 10, Bytes: 128));
        Assert.Equal((Rcode.Refused, null), (outcome.Rcode, outcome.Dynamic));
        Assert.Contains("maxDynamicBytes", outcome.Reason);
        Assert.Equal(Rcode.NoError, Apply(Update(Add("host.example.com", DnsType.TXT, Text(new string('x', 100)))), limits: new UpdateLimits(10, 129)).Rcode);
    }

    [Fact]
    public void Add_SameRecordAgain_NoChange_NewTtlOnly()
    {
        var first = Apply(Update(Add("host.example.com", DnsType.TXT, Text("a")))).Dynamic!;
        Assert.Null(Apply(Update(Add("host.example.com", DnsType.TXT, Text("a"))), first).Dynamic); // RFC 2136 §3.4.2.2: a duplicate is ignored
    }

    [Fact]
    public void Add_ManyRecordsToALargeZone_CostGrowsWithTheRecords_NotTheirSquare()
    {
        // 20 000 stored, 10 000 more in one message: looking through the zone for each added record
        // (as a list would) is 10 000 × 25 000 comparisons, seconds; by name it is milliseconds. Not timed here (a
        // loaded machine could fake either): a quadratic version shows as this one test taking seconds in the suite.
        var dynamic = Enumerable.Range(0, 20_000).Select(i => new ResourceRecord(DnsName.Parse($"h{i}.dyn.example.com"), DnsType.TXT, 60, Text("x"))).ToList();
        var update = Update([.. Enumerable.Range(20_000, 10_000).Select(i => Add($"h{i}.dyn.example.com", DnsType.TXT, Text("y")))]);
        var outcome = Apply(update, dynamic, new UpdateLimits(100_000, 10_000_000), "TXT");

        Assert.Equal(Rcode.NoError, outcome.Rcode);
        Assert.Equal(30_000, outcome.Dynamic!.Count);
    }
}
