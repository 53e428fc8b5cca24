using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GeoDns.Fuzz;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transfer;

namespace GeoDns.Tests.Fuzzing;

/// <summary>
/// Inputs the fuzzer found (bench/fuzz.sh transfer), each fed to the function it broke: the harness's socket-free
/// transfer and <see cref="ZoneFetcher.FetchAsync"/> against a primary on loopback sending the same bytes.
/// </summary>
public sealed class TransferFuzzFindingsTests
{
    /// <summary>An AXFR reply whose SOA has RDLENGTH 0: MessageReader keeps empty RDATA (UPDATE deletes use it), and
    /// reading the SOA's serial ran off the end of it (IndexOutOfRangeException out of FetchAsync).</summary>
    private static readonly byte[] SoaWithoutRdata = Reply(Record(DnsType.SOA, []));

    /// <summary>An A record of 3 octets: no exception, but it was stored and would have been served and sent on.</summary>
    private static readonly byte[] ShortAddress = Reply(Record(DnsType.SOA, Soa()), Record(DnsType.A, [192, 0, 2]), Record(DnsType.SOA, Soa()));

    [Fact]
    public void Harness_SoaWithoutRdata_IsAnErrorValue() =>
        Assert.Contains("SOA is malformed", TransferTarget.Run([0, .. Framed(SoaWithoutRdata)]));

    [Fact]
    public void Harness_ShortAddress_IsAnErrorValue() =>
        Assert.Contains("A is malformed", TransferTarget.Run([0, .. Framed(ShortAddress)]));

    [Fact]
    public async Task FetchAsync_SoaWithoutRdata_RefusedNotThrown()
    {
        var result = await FetchFrom(SoaWithoutRdata);

        Assert.Null(result.Records);
        Assert.True(result.Rejected);
        Assert.Contains("SOA is malformed", result.Error);
    }

    [Fact]
    public async Task FetchAsync_ShortAddress_Refused()
    {
        var result = await FetchFrom(ShortAddress);

        Assert.Null(result.Records);
        Assert.Contains("A is malformed", result.Error);
    }

    /// <summary>A primary that reads the request and answers with <paramref name="reply"/>, framed.</summary>
    private static async Task<TransferResult> FetchFrom(byte[] reply)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var primary = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var length = new byte[2];
            await stream.ReadExactlyAsync(length);
            await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt16BigEndian(length)]);
            await stream.WriteAsync(Framed(reply));
        });
        var rule = new SecondaryZoneRule(FuzzZones.Origin, [(IPEndPoint)listener.LocalEndpoint], null);
        var result = await ZoneFetcher.FetchAsync((IPEndPoint)listener.LocalEndpoint, rule, null, TimeProvider.System, CancellationToken.None);
        await primary;
        return result;
    }

    private static byte[] Soa() => [.. DnsName.Parse("ns1.example.com").Wire, .. DnsName.Parse("hostmaster.example.com").Wire, .. new byte[20]];

    private static byte[] Record(ushort type, byte[] data) =>
        [0xC0, 0x0C, (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 1, 44, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    /// <summary>An AXFR reply for example.com holding <paramref name="answers"/>.</summary>
    private static byte[] Reply(params byte[][] answers) =>
        [0, 1, 0x84, 0, 0, 1, 0, (byte)answers.Length, 0, 0, 0, 0, .. TestQuery.Name("example.com"), 0, (byte)DnsType.AXFR, 0, 1, .. answers.SelectMany(a => a)];

    private static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];
}
