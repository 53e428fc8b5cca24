using System.Buffers.Binary;
using GeoDns.Protocol;
using GeoDns.Transfer;

namespace GeoDns.Fuzz;

/// <summary>
/// Seeds made by our own code, so the fuzzer starts from messages that get far: queries as resolvers send them
/// , and AXFR and IXFR replies from <see cref="TransferWriter"/> in the framing
/// <see cref="TransferTarget"/> reads.
/// </summary>
public static class SeedWriter
{
    public static void Write(string folder)
    {
        var packets = Directory.CreateDirectory(Path.Combine(folder, "packet")).FullName;
        Save(packets, "a-www", Query("www.example.com", DnsType.A, 1232));
        Save(packets, "aaaa-plain", Query("www.example.com", DnsType.AAAA, null));
        Save(packets, "cname-chain-do", Query("blog.example.com", DnsType.A, 4096, dnssecOk: true));
        Save(packets, "wildcard-txt", Query("y.apps.example.com", DnsType.TXT, 1232));
        Save(packets, "dname", Query("host.old.example.com", DnsType.A, 1232));
        Save(packets, "referral", Query("deep.lab.example.com", DnsType.A, 512));
        // RFC 7871 §6: family 1, source /24, scope 0, three address octets.
        Save(packets, "ecs", Query("www.example.com", DnsType.A, 1232, option: (QueryParser.EcsOption, [0, 1, 24, 0, 198, 51, 100])));
        Save(packets, "cookie", Query("www.example.com", DnsType.A, 1232, option: (QueryParser.CookieOption, [1, 2, 3, 4, 5, 6, 7, 8])));
        Save(packets, "axfr", Query("example.com", DnsType.AXFR, null));
        Save(packets, "nxdomain-any", Query("nothing.example.com", DnsType.ANY, 1232));

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

    /// <summary>A query as a resolver sends it: id 0x1234, one question, an OPT with <paramref name="payload"/> when given.</summary>
    private static byte[] Query(string name, ushort type, int? payload, bool dnssecOk = false, (ushort Code, byte[] Data)? option = null)
    {
        List<byte> bytes = [0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, (byte)(payload is null ? 0 : 1), .. DnsName.Parse(name).Wire, (byte)(type >> 8), (byte)type, 0, 1];
        if (payload is not { } size) return [.. bytes];
        byte[] rdata = option is { } o ? [(byte)(o.Code >> 8), (byte)o.Code, 0, (byte)o.Data.Length, .. o.Data] : [];
        return [.. bytes, 0, 0, 41, (byte)(size >> 8), (byte)size, 0, 0, (byte)(dnssecOk ? 0x80 : 0), 0, 0, (byte)rdata.Length, .. rdata];
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
