using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using GeoDns.Protocol;
using GeoDns.Testing;

namespace GeoDns.IntegrationTests;

/// <summary>DNS Cookies (RFC 7873, RFC 9018) as dig and kdig see them, and across a restart.</summary>
public sealed class CookieTests
{
    /// <summary>An RFC 9018 Appendix A cookie: made with a secret this server never had, long expired.</summary>
    private const string StaleCookie = "2464c4abcf10c957010000005cf79f111f8130c3eee29480";

    private static string? Run(string tool, TestServer server, string arguments)
    {
        var start = new ProcessStartInfo(tool, $"@{server.Endpoint.Address} -p {server.Endpoint.Port} {(tool == "kdig" ? "+retry=0" : "+tries=1")} +time=2 {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit(10_000);
            return output.Result + error.Result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    [SkippableFact]
    public async Task Dig_Cookie_LearnsAGoodServerCookie_StaleOneGetsBadCookieThenAnswer()
    {
        await using var server = await TestServer.StartAsync();

        var fresh = Run("dig", server, "www.example.com A +cookie +norec");
        Skip.If(fresh is null, "dig is not installed (apt-get install bind9-dnsutils)");
        var stale = Run("dig", server, $"www.example.com A +norec +cookie={StaleCookie}")!;

        Assert.Matches(@"; COOKIE: [0-9a-f]{16}01000000[0-9a-f]{24} \(good\)", fresh);
        Assert.Contains("status: NOERROR", fresh);
        Assert.Contains(";; BADCOOKIE, retrying.", stale);
        Assert.Matches(@"; COOKIE: 2464c4abcf10c95701000000[0-9a-f]{24} \(good\)", stale);
        Assert.Contains("www.example.com.\t300\tIN\tA\t127.0.0.10", stale);
    }

    [SkippableFact]
    public async Task Kdig_Cookie_ServerCookieEchoed_StaleOneGetsBadCookieThenAnswer()
    {
        await using var server = await TestServer.StartAsync();

        var fresh = Run("kdig", server, "www.example.com A +cookie +norec");
        Skip.If(fresh is null, "kdig is not installed (apt-get install knot-dnsutils)");
        var stale = Run("kdig", server, $"www.example.com A +norec +cookie={StaleCookie}")!;

        Assert.Matches(@";; COOKIE: [0-9A-F]{16}01000000[0-9A-F]{24}", fresh);
        Assert.Contains("status: NOERROR", fresh);
        Assert.Contains("status: BADCOOKIE", stale);
        Assert.Contains("ext-rcode: BADCOOKIE", stale);
        Assert.Matches(@"status: NOERROR[\s\S]*www\.example\.com\.\s+300\s+IN\s+A\s+127\.0\.0\.10", stale); // kdig retried with the new cookie
    }

    [Fact]
    public async Task Restart_SameDataDirectory_CookieStillValid()
    {
        byte[] cookie;
        string directory;
        await using (var first = await TestServer.StartAsync())
        {
            first.KeepDirectory();
            directory = first.Directory;
            var reply = ReplyText.Parse(first.Udp(Query([1, 2, 3, 4, 5, 6, 7, 8]))!);
            var option = reply.EDnsOptions!.Options.OfType<CookieOption>().Single();
            cookie = [.. option.ClientCookie, .. option.ServerCookie];
            var secret = Path.Combine(directory, "data", "cookie-secret");
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        }

        await using var second = await TestServer.StartAsync(directory: directory);
        var again = ReplyText.Parse(second.Udp(Query(cookie))!);

        Assert.Equal(ReturnCode.NoError, again.ReturnCode);
        Assert.Single(again.AnswerRecords);
    }

    [Fact]
    public async Task ConfigReload_CookiesOffThenOn_OptionIgnoredThenAnsweredWithTheSameSecret()
    {
        await using var server = await TestServer.StartAsync(config: """{ "cookies": { "enabled": true } }""");
        var option = ReplyText.Parse(server.Udp(Query([1, 2, 3, 4, 5, 6, 7, 8]))!).EDnsOptions!.Options.OfType<CookieOption>().Single();
        byte[] cookie = [.. option.ClientCookie, .. option.ServerCookie];
        await Eventually.True(() => server.Service.Observations.Snapshot.Defences.Cookies is not null, "the policy in force says cookies are on");

        await File.WriteAllTextAsync(server.ConfigFile, """{ "cookies": { "enabled": false } }""");
        // The policy is published after the responder has it: once the snapshot says off, queries are answered so.
        await Eventually.True(() => server.Service.Observations.Snapshot.Defences.Cookies is null, "the policy in force says cookies are off");
        Assert.Empty(ReplyText.Parse(server.Udp(Query(cookie))!).EDnsOptions!.Options.OfType<CookieOption>());

        await File.WriteAllTextAsync(server.ConfigFile, """{ "cookies": { "enabled": true, "rotateEvery": "12h" } }""");
        await Eventually.True(() => server.Service.Observations.Snapshot.Defences.Cookies?.RotateEvery == TimeSpan.FromHours(12), "cookies are on again, with the new rotation");
        var again = ReplyText.Parse(server.Udp(Query(cookie))!);
        Assert.Equal(ReturnCode.NoError, again.ReturnCode); // the secret survived: the cookie is still valid
        Assert.Single(again.AnswerRecords);
    }

    private static byte[] Query(byte[] cookie) =>
        TestQuery.WithOption(TestQuery.Build("www.example.com", DnsType.A, ednsPayload: 1232), QueryParser.CookieOption, cookie);
}
