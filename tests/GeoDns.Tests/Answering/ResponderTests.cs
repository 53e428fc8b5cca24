using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

public sealed class ResponderTests
{
    private static readonly AnswerFixture Zones = new();
    private const string NegativeSoa = "example.com. 60 IN SOA ns1.example.com. hostmaster.example.com. 2026112501 3600 600 1209600 60";

    [Fact]
    public void Query_ExistingName_AuthoritativeAnswer()
    {
        var reply = Zones.Ask("www.example.com", DnsType.A);

        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], reply.Answer());
        Assert.Empty(reply.Authority());
    }

    [Fact]
    public void Query_MixedCase_QuestionEchoedAsAsked()
    {
        var reply = Zones.Ask("wWw.EXAMPLE.com", DnsType.AAAA);

        Assert.Equal("wWw.EXAMPLE.com.", reply.Questions[0].Name.ToString());
        // The owner is a pointer to the question, so it reads back in the case asked, as BIND's does.
        Assert.Equal(["wWw.EXAMPLE.com. 300 IN AAAA ::1"], reply.Answer());
    }

    [Fact]
    public void Query_MissingName_NxDomainWithSoaAtNegativeTtl()
    {
        var reply = Zones.Ask("nope.example.com", DnsType.A);

        Assert.Equal(ReturnCode.NxDomain, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Fact]
    public void Query_ExistingNameOtherType_NoDataWithSoa()
    {
        var reply = Zones.Ask("www.example.com", DnsType.MX);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Theory]
    [InlineData("www.example.com")]
    [InlineData("ns2.example.com")] // the same bytes after the question as www's: the build keeps one reply for both
    [InlineData("ns1.example.com")] // not ns2's: the SOA's primary name points at this question
    [InlineData("mail.example.com")]
    [InlineData("a.b.c.example.com")]
    public void Query_NamesSharingANodataReply_EachGetsItsOwnQuestionAndTheSoa(string name)
    {
        var reply = Zones.Ask(name, DnsType.MX);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(name + ".", reply.Questions.Single().Name.ToString());
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Theory]
    [InlineData("b.c.example.com")]
    [InlineData("c.example.com")]
    public void Query_EmptyNonTerminal_NoDataNotNxDomain(string name)
    {
        var reply = Zones.Ask(name, DnsType.A);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Fact]
    public void Query_BelowEmptyNonTerminal_NxDomain() =>
        Assert.Equal(ReturnCode.NxDomain, Zones.Ask("z.b.c.example.com", DnsType.A).ReturnCode);

    [Fact]
    public void Query_NameBelowWildcard_SynthesizesOwner()
    {
        var reply = Zones.Ask("Shop.apps.example.com", DnsType.A);

        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal(["Shop.apps.example.com. 300 IN A 127.0.0.30"], reply.Answer());
    }

    [Fact]
    public void Query_DeepNameBelowWildcard_Synthesizes() =>
        Assert.Equal(["a.b.apps.example.com. 300 IN A 127.0.0.30"], Zones.Ask("a.b.apps.example.com", DnsType.A).Answer());

    [Fact]
    public void Query_WildcardOtherType_NoData()
    {
        var reply = Zones.Ask("shop.apps.example.com", DnsType.AAAA);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Fact]
    public void Query_ExistingNameBesideWildcard_NoSynthesis()
    {
        // RFC 4592 §2.2.1: x.apps exists, so the wildcard does not apply to it or below it.
        Assert.Equal(ReturnCode.NoError, Zones.Ask("x.apps.example.com", DnsType.A).ReturnCode);
        Assert.Empty(Zones.Ask("x.apps.example.com", DnsType.A).AnswerRecords);
        Assert.Equal(ReturnCode.NxDomain, Zones.Ask("y.x.apps.example.com", DnsType.A).ReturnCode);
    }

    [Fact]
    public void Query_WildcardCname_FollowedWithSynthesizedOwner() =>
        Assert.Equal(["q.alias.example.com. 300 IN CNAME www.example.com.", "www.example.com. 300 IN A 127.0.0.10"],
            Zones.Ask("q.alias.example.com", DnsType.A).Answer());

    [Fact]
    public void Query_CnameChain_FollowedInsideZone() =>
        Assert.Equal(["chain.example.com. 300 IN CNAME blog.example.com.", "blog.example.com. 300 IN CNAME www.example.com.", "www.example.com. 300 IN A 127.0.0.10"],
            Zones.Ask("chain.example.com", DnsType.A).Answer());

    [Fact]
    public void Query_CnameType_OnlyTheCname() =>
        Assert.Equal(["blog.example.com. 300 IN CNAME www.example.com."], Zones.Ask("blog.example.com", DnsType.CNAME).Answer());

    [Fact]
    public void Query_CnameToMissingName_NxDomainAfterCname()
    {
        var reply = Zones.Ask("dangling.example.com", DnsType.A);

        Assert.Equal(ReturnCode.NxDomain, reply.ReturnCode); // RFC 6604 §2.1: the rcode of the last name
        Assert.Equal(["dangling.example.com. 300 IN CNAME nothing-here.example.com."], reply.Answer());
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Fact]
    public void Query_CnameOutsideOurZones_CnameOnly()
    {
        var reply = Zones.Ask("away.example.com", DnsType.A);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(["away.example.com. 300 IN CNAME www.elsewhere.test."], reply.Answer());
    }

    [Fact]
    public void Query_CnameLoop_BoundedAnswer()
    {
        var reply = Zones.Ask("loop1.example.com", DnsType.A);

        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.InRange(reply.AnswerRecords.Count, 2, 9);
    }

    [Fact]
    public void Query_BelowDname_DnameAndSynthesizedCnameFollowedAcrossZones()
    {
        var reply = Zones.Ask("host.OLD.example.com", DnsType.A);

        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal([
            "OLD.example.com. 300 IN DNAME new.example.net.",
            "host.OLD.example.com. 300 IN CNAME host.new.example.net.",
            "host.new.example.net. 120 IN A 127.0.1.1"], reply.Answer());
    }

    [Fact]
    public void Query_DnameOwnerItself_NotRewritten() =>
        Assert.Equal(["old.example.com. 300 IN DNAME new.example.net."], Zones.Ask("old.example.com", 39).Answer());

    [Fact]
    public void Query_AtOrBelowDelegation_ReferralWithGlue()
    {
        foreach (var name in new[] { "lab.example.com", "deep.host.lab.example.com", "ns.lab.example.com" })
        {
            var reply = Zones.Ask(name, DnsType.A);

            Assert.False(reply.IsAuthoritiveAnswer);
            Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
            Assert.Empty(reply.AnswerRecords);
            Assert.Equal(["lab.example.com. 300 IN NS ns.lab.example.com."], reply.Authority());
            Assert.Equal(["ns.lab.example.com. 300 IN A 127.0.0.53"], reply.Additional());
        }
    }

    [Fact]
    public void Query_DsAtDelegation_AnsweredByParentAsNoData()
    {
        var reply = Zones.Ask("lab.example.com", DnsType.DS);

        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal([NegativeSoa], reply.Authority());
    }

    [Fact]
    public void Query_ApexNsAndMx_AddressesInAdditional()
    {
        Assert.Equal(["ns1.example.com. 300 IN A 127.0.0.1", "ns2.example.com. 300 IN A 127.0.0.2"], Zones.Ask("example.com", DnsType.NS).Additional());
        Assert.Equal(["mail.example.com. 300 IN A 127.0.0.20"], Zones.Ask("example.com", DnsType.MX).Additional());
    }

    [Fact]
    public void Query_Any_OneRRsetOnly()
    {
        var reply = Zones.Ask("www.example.com", DnsType.ANY);

        Assert.Equal(["www.example.com. 300 IN A 127.0.0.10"], reply.Answer()); // RFC 8482 §4.1
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("com")]
    [InlineData("")]
    public void Query_OutsideServedZones_Refused(string name)
    {
        var reply = Zones.Ask(name, DnsType.A);

        Assert.Equal(ReturnCode.Refused, reply.ReturnCode);
        Assert.False(reply.IsAuthoritiveAnswer);
    }

    [Fact]
    public void Query_OtherClass_Refused() =>
        Assert.Equal(ReturnCode.Refused, ReplyText.Parse(Zones.Raw(TestQuery.Build("www.example.com", 1, qclass: 3))).ReturnCode);

    [Fact]
    public void Query_Axfr_Refused() =>
        Assert.Equal(ReturnCode.Refused, Zones.Ask("example.com", DnsType.AXFR, tcp: true).ReturnCode);
}
