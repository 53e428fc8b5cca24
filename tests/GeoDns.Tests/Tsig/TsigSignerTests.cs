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

    [Theory]
    [InlineData(3600, 299, TsigStatus.Valid)]
    [InlineData(3600, 301, TsigStatus.Failed)]
    [InlineData(65535, -3000, TsigStatus.Failed)]
    [InlineData(60, 61, TsigStatus.Failed)]
    public void Verify_FudgeAbove300_CheckedAs300(ushort fudge, int late, TsigStatus status)
    {
        var check = Check(TsigSigner.SignRequest(Soa(), Key, Now, fudge).Message, Now.AddSeconds(late));
        Assert.Equal(status, check.Status);
        if (status == TsigStatus.Failed) Assert.Equal(Rcode.BadTime, check.Error);
    }

    [Fact]
    public void Verify_SameSignedChangeTwice_SecondIsBadTime_AsAStaleOneWouldBe()
    {
        var replays = new ReplayWindow();
        var signed = TsigSigner.SignRequest(Soa(), Key, Now).Message;

        var first = TsigSigner.Verify(signed, MessageReader.Read(signed)!, Ring, Now, replays);
        var again = TsigSigner.Verify(signed, MessageReader.Read(signed)!, Ring, Now.AddSeconds(10), replays);
        var resigned = TsigSigner.SignRequest(Soa(), Key, Now.AddSeconds(1)).Message;

        Assert.Equal(TsigStatus.Valid, first.Status);
        Assert.Equal((TsigStatus.Failed, Rcode.BadTime), (again.Status, again.Error));
        Assert.Equal(first.RequestMac, again.RequestMac); // a BADTIME reply is signed: it echoes the request's MAC
        Assert.Equal(TsigStatus.Valid, TsigSigner.Verify(resigned, MessageReader.Read(resigned)!, Ring, Now, replays).Status);
        // Without a window (queries and transfers: nothing changes) the same message is simply valid again.
        Assert.Equal(TsigStatus.Valid, Check(signed, Now.AddSeconds(10)).Status);
    }

    [Fact]
    public void ReplayWindow_ForgetsMacsOnceTheirTimeIsPast_AndRefusesWhenFull()
    {
        var replays = new ReplayWindow(capacity: 2);
        const ulong t = 1_800_000_000;

        Assert.True(replays.Admit([1], validUntil: t + 300, now: t));
        Assert.True(replays.Admit([2], validUntil: t + 300, now: t));
        Assert.False(replays.Admit([3], validUntil: t + 300, now: t)); // full: refused, not forgotten
        Assert.False(replays.Admit([1], validUntil: t + 300, now: t + 300));
        Assert.True(replays.Admit([3], validUntil: t + 601, now: t + 301)); // 1 and 2 expired: gone
        Assert.Equal(1, replays.Count);
    }
}
