using System.Buffers.Binary;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transfer;

namespace GeoDns.Fuzz;

/// <summary>
/// Seeds made by our own code, so the fuzzer starts from messages that get far: queries as resolvers send them
/// (<see cref="TestQuery"/>), and AXFR and IXFR replies from <see cref="TransferWriter"/> in the framing
/// <see cref="TransferTarget"/> reads.
/// </summary>
public static class SeedWriter
{
    public static void Write(string folder)
    {
        var packets = Directory.CreateDirectory(Path.Combine(folder, "packet")).FullName;
        Save(packets, "a-www", TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232));
        Save(packets, "aaaa-plain", TestQuery.Build("www.example.com", DnsType.AAAA));
        Save(packets, "cname-chain-do", TestQuery.Build("blog.example.com", DnsType.A, ednsPayload: 4096, dnssecOk: true));
        Save(packets, "wildcard-txt", TestQuery.Build("y.apps.example.com", DnsType.TXT, ednsPayload: 1232));
        Save(packets, "dname", TestQuery.Build("host.old.example.com", DnsType.A, ednsPayload: 1232));
        Save(packets, "referral", TestQuery.Build("deep.lab.example.com", DnsType.A, ednsPayload: 512));
        Save(packets, "ecs", TestQuery.WithOption(TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232), QueryParser.EcsOption, TestQuery.ClientSubnet("198.51.100.0/24")));
        Save(packets, "cookie", TestQuery.WithOption(TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232), QueryParser.CookieOption, [1, 2, 3, 4, 5, 6, 7, 8]));
        Save(packets, "axfr", TestQuery.Build("example.com", DnsType.AXFR));
        Save(packets, "nxdomain-any", TestQuery.Build("nothing.example.com", DnsType.ANY, ednsPayload: 1232));

        var transfers = Directory.CreateDirectory(Path.Combine(folder, "transfer")).FullName;
        var records = FuzzZones.Zone.Records;
        var soa = records.First(r => r.Type == DnsType.SOA);
        var rest = records.Where(r => r.Type != DnsType.SOA).ToList();
        var next = Serial.With(soa, Serial.Of(soa) + 1);
        Save(transfers, "axfr", Framed(TransferWriter.Axfr(Request(DnsType.AXFR), new ZoneVersion(Serial.Of(soa), soa, rest, ""))), ixfr: false);
        var added = new ResourceRecord(DnsName.Parse("new.example.com"), DnsType.A, 300, [127, 0, 0, 99]);
        var steps = new[] { new ZoneDelta(soa, [rest.First(r => r.Type == DnsType.A)], next, [added]) };
        Save(transfers, "ixfr", Framed(TransferWriter.Ixfr(Request(DnsType.IXFR), new ZoneVersion(Serial.Of(next), next, [], ""), steps)), ixfr: true);
        Save(transfers, "ixfr-up-to-date", Framed(TransferWriter.SoaOnly(Request(DnsType.IXFR), new ZoneVersion(Serial.Of(soa), soa, [], ""))), ixfr: true);
        Save(transfers, "ixfr-as-axfr", Framed(TransferWriter.Axfr(Request(DnsType.IXFR), new ZoneVersion(Serial.Of(next), next, [.. rest, added], ""))), ixfr: true);
    }

    private static MessageReader Request(ushort type) =>
        MessageReader.Read(new MessageWriter(FuzzZones.Origin, type, positionIndependent: false).ToArray())!;

    private static byte[] Framed(IEnumerable<byte[]> messages)
    {
        var framed = new List<byte>();
        foreach (var message in messages)
        {
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)message.Length);
            framed.AddRange(length);
            framed.AddRange(message);
        }
        return [.. framed];
    }

    private static void Save(string folder, string name, byte[] bytes, bool? ixfr = null) =>
        File.WriteAllBytes(Path.Combine(folder, name), ixfr is { } i ? [(byte)(i ? 1 : 0), .. bytes] : bytes);
}
