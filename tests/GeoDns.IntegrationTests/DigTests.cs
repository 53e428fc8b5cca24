using System.Diagnostics;

namespace GeoDns.IntegrationTests;

/// <summary>The server as a real resolver tool sees it. `.ci/run` installs dig (bind9-dnsutils).</summary>
public sealed class DigTests
{
    private static string? Dig(TestServer server, string arguments)
    {
        var start = new ProcessStartInfo("dig", $"@{server.Endpoint.Address} -p {server.Endpoint.Port} +tries=1 +time=2 {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // dig is not installed
        }
    }

    [SkippableFact]
    public async Task Dig_ExampleNames_AnswersAsAUserExpects()
    {
        await using var server = await TestServer.StartAsync();

        var www = Dig(server, "www.example.com A +short");
        Skip.If(www is null, "dig is not installed (apt-get install bind9-dnsutils)");
        var soa = Dig(server, "example.com SOA +norec")!;
        var missing = Dig(server, "nope.example.com A +norec")!;
        var refused = Dig(server, "example.org A +norec")!;
        var tcp = Dig(server, "www.example.com A +tcp +short")!;

        Assert.Equal("127.0.0.10", www!.Trim());
        Assert.Contains("status: NOERROR", soa);
        Assert.Contains("flags: qr aa;", soa);
        Assert.Contains("status: NXDOMAIN", missing);
        Assert.Contains("example.com.\t\t60\tIN\tSOA", missing);
        Assert.Contains("status: REFUSED", refused);
        Assert.Equal("127.0.0.10", tcp.Trim());
    }

    [SkippableFact]
    public async Task Dig_StarOriginAndWildcardRdata_AnswersAsOtherServersDo()
    {
        const string zone = """
            $TTL 300
            @    SOA ns1.example.com. hostmaster.example.com. 1 3600 600 1209600 60
                 NS  ns1.example.com.
            *.w  MX  10 mail.*.w
            """;
        await using var server = await TestServer.StartAsync(zone, origin: "net.%2A");

        var soa = Dig(server, "net.\\*. SOA +norec");
        Skip.If(soa is null, "dig is not installed (apt-get install bind9-dnsutils)");
        var mx = Dig(server, "foo.w.net.\\*. MX +short")!;

        Assert.Contains("status: NOERROR", soa);
        Assert.Contains("flags: qr aa;", soa);
        Assert.Equal("10 mail.*.w.net.*.", mx.Trim());
    }
}
