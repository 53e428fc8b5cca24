using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.Tests.Tsig;

/// <summary>Our signer against our verifier, with a fake clock; dig, kdig, nsupdate and Knot check it independently in the integration tests.</summary>
public sealed class TsigSignerTests
{
    private static readonly TsigKey Key = new(DnsName.Parse("xfr"), TsigAlgorithm.HmacSha512, [.. Enumerable.Range(0, 64).Select(i => (byte)i)]);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TsigKeyRing Ring = new([Key]);

    private static byte[] Soa() => [0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse("example.com").Wire, 0, 6, 0, 1];

    private static TsigCheck Check(byte[] message, DateTimeOffset at) => TsigSigner.Verify(message, MessageReader.Read(message)!, Ring, at);

    [Fact]
    public void Verify_SignedRequest_Valid()
    {
        var signed = TsigSigner.SignRequest(Soa(), Key, Now).Message;
        Assert.Equal(TsigStatus.Valid, Check(signed, Now.AddSeconds(299)).Status);
    }

    [Theory]
    [InlineData(301, Rcode.BadTime)]
    [InlineData(-301, Rcode.BadTime)]
    public void Verify_OutsideFudge_BadTime(int seconds, ushort error) =>
        Assert.Equal(error, Check(TsigSigner.SignRequest(Soa(), Key, Now).Message, Now.AddSeconds(seconds)).Error);

    [Fact]
    public void Verify_AlteredMessage_BadSig()
    {
        var signed = TsigSigner.SignRequest(Soa(), Key, Now).Message;
        signed[Query.HeaderLength + 1] ^= 0x20; // "Example" for "example": the MAC covers the bytes as sent
        Assert.Equal(Rcode.BadSig, Check(signed, Now).Error);
    }

    [Fact]
    public void Verify_UnknownKey_BadKey()
    {
        var other = new TsigKey(DnsName.Parse("other"), TsigAlgorithm.HmacSha256, [1]);
        Assert.Equal(Rcode.BadKey, Check(TsigSigner.SignRequest(Soa(), other, Now).Message, Now).Error);
    }

    [Fact]
    public void Sign_Reply_VerifiesAgainstRequestMac_AndChainsLaterMessages()
    {
        var (request, requestMac) = TsigSigner.SignRequest(Soa(), Key, Now);
        var check = Check(request, Now);
        var reply = Soa();
        reply[2] = 0x84;
        var (first, firstMac) = TsigSigner.Sign(reply, check, Now);
        var (second, _) = TsigSigner.Sign(reply, check, Now, firstMac);

        Assert.True(TsigSigner.VerifyReply(first, MessageReader.Read(first)!, Key, requestMac, Now, out var mac));
        Assert.True(TsigSigner.VerifyReply(second, MessageReader.Read(second)!, Key, mac, Now, out _, subsequent: true));
        Assert.False(TsigSigner.VerifyReply(second, MessageReader.Read(second)!, Key, requestMac, Now, out _, subsequent: true));
    }

    [Fact]
    public void Verify_TsigNotLast_Malformed()
    {
        var signed = TsigSigner.SignRequest(Soa(), Key, Now).Message;
        // An OPT after the TSIG: RFC 8945 §5.1 wants TSIG last.
        byte[] withOpt = [.. signed, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0];
        withOpt[11]++;
        Assert.Equal(TsigStatus.Malformed, Check(withOpt, Now).Status);
    }
}
