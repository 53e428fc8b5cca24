using GeoDns.Protocol;
using GeoDns.Updates;

namespace GeoDns.Tests.Updates;

public sealed class UpdatePolicyTests
{
    private static readonly DnsName Key = DnsName.Parse("acme"), Zone = DnsName.Parse("example.com");

    private static UpdatePolicy Policy(List<string>? names = null, List<string>? types = null)
    {
        var errors = new List<string>();
        var policy = UpdatePolicy.From(new UpdatePolicyOptions { Key = "acme", Names = names ?? [], Types = types ?? [] }, errors);
        Assert.Empty(errors);
        return policy!;
    }

    [Theory]
    [InlineData("_acme-challenge.example.com", DnsType.TXT, true)]
    [InlineData("_acme-challenge.www.example.com", DnsType.TXT, true)]
    [InlineData("_acme-challenge.a.b.example.com", DnsType.TXT, true)]
    [InlineData("www.example.com", DnsType.TXT, false)]
    [InlineData("x._acme-challenge.example.com", DnsType.TXT, false)]
    [InlineData("_acme-challenge.example.com", DnsType.A, false)]
    [InlineData("_acme-challenge.example.org", DnsType.TXT, false)]
    public void Default_OnlyAcmeTxtInsideTheZone(string name, ushort type, bool allowed) =>
        Assert.Equal(allowed, Policy().Allows(Key, Zone, DnsName.Parse(name), type));

    [Theory]
    [InlineData("home.example.com", true)]
    [InlineData("a.dyn.example.com", true)]
    [InlineData("dyn.example.com", false)]
    [InlineData("example.com", true)]
    [InlineData("www.example.com", false)]
    public void Names_ExactApexAndBelow(string name, bool allowed) =>
        Assert.Equal(allowed, Policy(["home", "*.dyn", "@"], ["A", "AAAA"]).Allows(Key, Zone, DnsName.Parse(name), DnsType.A));

    [Fact]
    public void OtherKey_NeverAllowed() =>
        Assert.False(Policy().Allows(DnsName.Parse("other"), Zone, DnsName.Parse("_acme-challenge.example.com"), DnsType.TXT));

    [Fact]
    public void Soa_CannotBeGranted()
    {
        var errors = new List<string>();
        Assert.Null(UpdatePolicy.From(new UpdatePolicyOptions { Key = "acme", Types = ["SOA"] }, errors));
        Assert.Equal("exchange.updates: key 'acme': type 'SOA' cannot be updated", Assert.Single(errors));
    }

    [Theory]
    [InlineData(@"x\.dyn.example.com", false)]   // one label "x.dyn": its text ends in ".dyn", its labels do not
    [InlineData(@"a\003dyn.example.com", false)] // one label whose octets end as the label "dyn" is written
    [InlineData("x.dyn.example.com", true)]
    [InlineData("a.b.dyn.example.com", true)]
    public void Wildcard_MatchesWholeLabelsOnly(string name, bool allowed) =>
        Assert.Equal(allowed, Policy(["*.dyn"], ["A"]).Allows(Key, Zone, DnsName.Parse(name), DnsType.A));

    private static readonly DnsName[] TwoZones = [DnsName.Parse("example.com"), DnsName.Parse("example.org")];

    [Fact]
    public void NoZone_SeveralZonesServed_ErrorNamesTheKey()
    {
        var errors = new List<string>();
        var options = new UpdatePolicyOptions { Key = "acme" };
        Assert.Null(UpdatePolicy.From(options, errors, index: 1, servedZones: TwoZones));
        Assert.StartsWith("exchange.updates[1].zone: required when more than one zone is served (example.com., example.org.)", Assert.Single(errors));
    }

    [Fact]
    public void NoZone_OneZoneServed_MeansThatZoneOnly()
    {
        var policy = UpdatePolicy.From(new UpdatePolicyOptions { Key = "acme" }, [], servedZones: [Zone])!;
        var other = DnsName.Parse("example.org");
        Assert.True(policy.Allows(Key, Zone, DnsName.Parse("_acme-challenge.example.com"), DnsType.TXT));
        Assert.False(policy.Allows(Key, other, DnsName.Parse("_acme-challenge.example.org"), DnsType.TXT));
    }

    [Fact]
    public void StarZone_EveryZone()
    {
        var errors = new List<string>();
        var policy = UpdatePolicy.From(new UpdatePolicyOptions { Key = "acme", Zone = "*" }, errors, servedZones: TwoZones)!;
        Assert.Empty(errors);
        Assert.True(policy.Allows(Key, DnsName.Parse("example.org"), DnsName.Parse("_acme-challenge.example.org"), DnsType.TXT));
    }
}
