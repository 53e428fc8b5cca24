using System.Net;
using System.Security.Cryptography;
using System.Text;
using GeoDns.Server.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoDns.IntegrationTests;

/// <summary>
/// The admin endpoint's replies: the dashboard may run only its own script and style (by hash), nothing may frame
/// or sniff any reply, and an unexpected failure says where to look without telling the caller what failed.
/// </summary>
public sealed class AdminHeaderTests
{
    [Fact]
    public async Task Dashboard_RunsOnlyItsOwnScript_NoReplyFramedOrSniffed()
    {
        await using var server = await TestServer.StartAsync();

        using var page = await server.Http.GetAsync("/");
        using var api = await server.Http.GetAsync("/v1/pools");

        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var html = await page.Content.ReadAsStringAsync();
        var script = html[(html.IndexOf("<script>", StringComparison.Ordinal) + 8)..html.IndexOf("</script>", StringComparison.Ordinal)];
        Assert.Contains($"script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        foreach (var reply in new[] { page, api })
        {
            Assert.Equal("nosniff", Assert.Single(reply.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(reply.Headers.GetValues("X-Frame-Options")));
        }
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Assert.Single(api.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task UnexpectedFailure_Json500_TheMessageOnlyInTheLog()
    {
        var log = new LogCapture();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(log)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "req-7" };
        (context.Request.Method, context.Request.Path) = ("GET", "/");
        context.Response.Body = new MemoryStream();

        await AdminGuard.Invoke(context, _ => throw new InvalidOperationException("cannot open /var/lib/geodns/secret-thing"));

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal((int)HttpStatusCode.InternalServerError, context.Response.StatusCode);
        Assert.Contains("request req-7", body);
        Assert.DoesNotContain("secret-thing", body);
        // What the caller is not told is in the log, under the request id the reply gives: the exception and its text.
        Assert.Contains("Error GeoDns.Server.Admin: Admin request GET / failed (request req-7)", log.Text);
        Assert.Contains("System.InvalidOperationException: cannot open /var/lib/geodns/secret-thing", log.Text);
    }
}
