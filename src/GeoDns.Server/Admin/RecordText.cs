using System.Buffers.Binary;
using System.Net;
using System.Text;
using GeoDns.Protocol;

namespace GeoDns.Server.Admin;

/// <summary>
/// Records in zone-file form for people: the common types written out, any other in the RFC 3597
/// form (<c>\# 4 0A000001</c>), which is exact if less readable.
/// </summary>
public static class RecordText
{
    public static string Format(ResourceRecord r) => Format(r.Owner, r.Ttl, r);

    /// <summary>With the owner and TTL of the RRset it is answered in (a wildcard's data under the query name).</summary>
    public static string Format(DnsName owner, uint ttl, ResourceRecord r) => $"{owner} {ttl} IN {DnsType.ToString(r.Type)} {Data(r)}";

    private static string Data(ResourceRecord r)
    {
        var data = r.Data;
        try
        {
            return r.Type switch
            {
                DnsType.A or DnsType.AAAA => new IPAddress(data).ToString(),
                DnsType.NS or DnsType.CNAME or DnsType.DNAME or DnsType.PTR => RdataNames.Target(r)!.ToString(),
                DnsType.MX => $"{BinaryPrimitives.ReadUInt16BigEndian(data)} {RdataNames.Target(r)}",
                DnsType.TXT => Strings(data),
                DnsType.SOA => Soa(data),
                _ => Generic(data),
            };
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            return Generic(data); // RDATA not shaped as its type says: show the bytes
        }
    }

    private static string Soa(byte[] data)
    {
        var rname = RdataNames.Skip(data, 0);
        var numbers = RdataNames.Skip(data, rname);
        var fields = Enumerable.Range(0, 5).Select(i => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(numbers + 4 * i)));
        return $"{DnsName.FromWire(data.AsSpan(0, rname))} {DnsName.FromWire(data.AsSpan(rname, numbers - rname))} {string.Join(' ', fields)}";
    }

    private static string Strings(byte[] data)
    {
        var text = new StringBuilder();
        for (var i = 0; i < data.Length; i += data[i] + 1)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append('"');
            foreach (var b in data.AsSpan(i + 1, data[i]))
                text.Append(b is (byte)'"' or (byte)'\\' ? $"\\{(char)b}" : b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\{b:D3}");
            text.Append('"');
        }
        return text.ToString();
    }

    private static string Generic(byte[] data) => $"\\# {data.Length} {Convert.ToHexString(data)}";
}
