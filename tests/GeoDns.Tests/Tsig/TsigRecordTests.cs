using GeoDns.Protocol;
using GeoDns.Tsig;

namespace GeoDns.Tests.Tsig;

public sealed class TsigRecordTests
{
    private static readonly TsigKey Key = new(DnsName.Parse("xfr"), TsigAlgorithm.HmacSha256, [.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static WireRecord Signed()
    {
        byte[] query = [0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse("example.com").Wire, 0, 6, 0, 1];
        return MessageReader.Read(TsigSigner.SignRequest(query, Key, Now).Message)!.Additionals[^1];
    }

    [Fact]
    public void Parse_ASignedRequest_EveryField()
    {
        var fields = TsigRecord.Parse(Signed())!;

        Assert.Equal((Key.Name, Key.AlgorithmName, (ulong)Now.ToUnixTimeSeconds(), TsigSigner.Fudge), (fields.KeyName, fields.Algorithm, fields.TimeSigned, fields.Fudge));
        Assert.Equal((Key.MacSize, (ushort)0xABCD, (ushort)Rcode.NoError, 0), (fields.Mac.Length, fields.OriginalId, fields.Error, fields.Other.Length));
    }

    [Theory]
    [InlineData(1)]  // the last byte of other-length gone
    [InlineData(20)] // into the MAC
    [InlineData(-1)] // a byte left over
    public void Parse_WrongLength_Null(int cut)
    {
        var record = Signed();
        var data = cut > 0 ? record.Data[..^cut] : [.. record.Data, 0];
        Assert.Null(TsigRecord.Parse(record with { Data = data }));
    }
}
