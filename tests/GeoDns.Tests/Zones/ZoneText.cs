using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Tests.Zones;

/// <summary>Small zone texts for tests: a body followed by a valid apex, so body line N is file line N.</summary>
internal static class ZoneText
{
    public const string File = "zones/example.com.zone";

    public static readonly DnsName Origin = DnsName.Parse("example.com.");

    public const string Apex = "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 IN NS ns1\n";

    public static ZoneLoadResult Parse(string body) => ZoneFileParser.Parse(body + "\n" + Apex, Origin, File);

    public static Zone Load(string body)
    {
        var result = Parse(body);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Zone!;
    }

    public static ResourceRecord Record(string body, string owner, ushort type) =>
        Load(body).Records.Single(r => r.Owner == DnsName.Parse(owner) && r.Type == type);

    /// <summary>The single error of a body, as "file:line: message".</summary>
    public static string Error(string body)
    {
        var result = Parse(body);
        Assert.False(result.Ok);
        return Assert.Single(result.Errors).ToString();
    }

    public static string Rdata(ushort type, string text)
    {
        Assert.True(RdataEncoder.TryEncode(type, text, Origin, out var data, out var error), error);
        return Convert.ToHexString(data);
    }

    public static string RdataError(ushort type, string text)
    {
        Assert.False(RdataEncoder.TryEncode(type, text, Origin, out _, out var error));
        return error;
    }

    /// <summary>Uncompressed wire form of a name, as uppercase hex, keeping its case.</summary>
    public static string WireHex(params string[] labels) =>
        string.Concat(labels.Select(l => ((byte)l.Length).ToString("X2") + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(l)))) + "00";
}
