using GeoDns.Protocol;
using GeoDns.Zones;

namespace GeoDns.Fuzz;

/// <summary>
/// The small fixed zone the packet, transfer and config targets run against: a bit of everything the
/// resolver treats apart (CNAME chains and loops, wildcards, a DNAME, a delegation with glue, MX). <c>app.example.com</c> is left free for the pools of
/// the config seeds.
/// </summary>
public static class FuzzZones
{
    public static readonly DnsName Origin = DnsName.Parse("example.com");

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
        loop1    IN CNAME loop2
        loop2    IN CNAME loop1
        *.apps   IN A    127.0.0.30
        *.apps   IN TXT  "wild"
        x.apps   IN TXT  "explicit"
        old      IN DNAME new.example.net.
        lab      IN NS   ns.lab
        ns.lab   IN A    127.0.0.53
        """;

    /// <summary>The zone, parsed once: a fixture, so a failure here is the harness's, not the input's.</summary>
    public static readonly Zone Zone = ZoneFileParser.Parse(ExampleCom, Origin, "example.com.zone").Zone
        ?? throw new InvalidOperationException("the fuzzing fixture zone does not load");

    public static readonly ZoneSet Set = new([Zone], []);
}
