using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

public sealed class ClientSubnetTests
{
    private static readonly AnswerFixture Zones = new();

    private static byte[] Ask(byte[] ecs) =>
        Zones.Raw(TestQuery.WithOption(TestQuery.Build("www.example.com", 1, ednsPayload: 1232), 8, ecs));

    [Theory]
    [InlineData("192.0.2.0/24")]
    [InlineData("2001:db8:1200::/40")]
    [InlineData("0.0.0.0/0")]
    public void ValidEcs_EchoedWithScopeZeroForStaticAnswers(string subnet)
    {
        var ecs = TestQuery.ClientSubnet(subnet);
        var reply = Ask(ecs);

        Assert.Equal(ReturnCode.NoError, ReplyText.Parse(reply).ReturnCode);
        // The OPT is last: its option is the ECS we sent, scope byte (index 3) zero.
        Assert.Equal(ecs, reply[^ecs.Length..]);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "family 3", [0, 3, 24, 0, 192, 0, 2] },
        { "IPv4 prefix 33", [0, 1, 33, 0, 192, 0, 2, 0, 0] },
        { "address longer than the prefix", [0, 1, 16, 0, 192, 0, 2] },
        { "address shorter than the prefix", [0, 1, 24, 0, 192, 0] },
        { "bits set past the prefix", [0, 1, 23, 0, 192, 0, 3] },
        { "non-zero scope in a query", [0, 1, 24, 8, 192, 0, 2] },
        { "too short for a header", [0, 1, 24] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedEcs_FormErr(string _, byte[] ecs) =>
        Assert.Equal(ReturnCode.FormatError, (ReturnCode)(Ask(ecs)[3] & 0xF));

    [Fact]
    public void TwoEcsOptions_FormErr()
    {
        var ecs = TestQuery.ClientSubnet("192.0.2.0/24");
        var query = TestQuery.WithOption(TestQuery.WithOption(TestQuery.Build("www.example.com", 1, ednsPayload: 1232), 8, ecs), 8, ecs);

        Assert.Equal(ReturnCode.FormatError, (ReturnCode)(Zones.Raw(query)[3] & 0xF));
    }
}
