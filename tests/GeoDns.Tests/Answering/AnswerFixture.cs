using ARSoft.Tools.Net.Dns;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Zones;

namespace GeoDns.Tests.Answering;

/// <summary>A <see cref="Responder"/> over zones given as text, asked with raw query packets.</summary>
public sealed class AnswerFixture
{
    public const string ExampleCom = """
        $ORIGIN example.com.
        $TTL 300
        @        IN SOA  ns1 hostmaster 2026112501 3600 600 1209600 60
                 IN NS   ns1
                 IN NS   ns2
                 IN MX   10 mail
        ns1      IN A    127.0.0.1
        ns2      IN A    127.0.0.2
        www      IN A    127.0.0.10
                 IN AAAA ::1
        mail     IN A    127.0.0.20
        blog     IN CNAME www
        chain    IN CNAME blog
        dangling IN CNAME nothing-here
        away     IN CNAME www.elsewhere.test.
        loop1    IN CNAME loop2
        loop2    IN CNAME loop1
        a.b.c    IN A    127.0.0.40
        *.apps   IN A    127.0.0.30
        *.apps   IN TXT  "wild"
        x.apps   IN TXT  "explicit"
        *.alias  IN CNAME www
        old      IN DNAME new.example.net.
        lab      IN NS   ns.lab
        ns.lab   IN A    127.0.0.53
        """;

    public const string ExampleNet = """
        $ORIGIN example.net.
        $TTL 120
        @        IN SOA  ns1.example.com. hostmaster.example.com. 7 3600 600 1209600 30
                 IN NS   ns1.example.com.
        host.new IN A    127.0.1.1
        """;

    public AnswerFixture(params (string Origin, string Text)[] zones)
    {
        var loaded = zones.Select(z => ZoneFileParser.Parse(z.Text, DnsName.Parse(z.Origin), z.Origin + ".zone")).ToList();
        foreach (var result in loaded) Assert.True(result.Ok, string.Join("\n", result.Errors));
        Responder.Table = AnswerTableBuilder.Build(new ZoneSet(loaded.Select(r => r.Zone!).ToList(), []));
    }

    public AnswerFixture() : this(("example.com", ExampleCom), ("example.net", ExampleNet)) { }

    public Responder Responder { get; } = new();

    public byte[] Raw(byte[] query, bool tcp = false)
    {
        var reply = new byte[tcp ? 65535 : 4096];
        var length = Responder.Respond(query, reply, tcp);
        return reply[..length];
    }

    public DnsMessage Ask(string name, ushort type, int? ednsPayload = 1232, bool tcp = false) =>
        ReplyText.Parse(Raw(TestQuery.Build(name, type, ednsPayload: ednsPayload), tcp));
}
