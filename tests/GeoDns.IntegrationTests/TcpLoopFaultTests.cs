using System.Net.Sockets;
using System.Text.Json;
using GeoDns.Protocol;
using GeoDns.Testing;
using Microsoft.Extensions.Logging;

namespace GeoDns.IntegrationTests;

/// <summary>
/// No fault ends the real server's TCP accept loop for good: a connection whose setup throws is counted, closed and
/// the loop goes on; a loop that ends anyway is named on /healthz and started again.
/// </summary>
public sealed class TcpLoopFaultTests
{
    /// <summary>Loggers that fail when told to, like a log file on a full disk.</summary>
    private sealed class FailingLogs : ILoggerProvider, ILogger
    {
        public volatile bool Failing;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Failing) throw new IOException("No space left on device (test logger)");
        }

        public void Dispose() { }
    }

    /// <summary>A send buffer size no socket takes: setting up each new connection throws (the transport reads its options as it goes).</summary>
    private static void BreakSetup(TestServer server, bool broken) => server.Options.Transport.TcpSendBufferBytes = broken ? -1 : 65536;

    /// <summary>One query on a new connection: true when answered, false when the server closed it instead.</summary>
    private static bool AnsweredOverTcp(TestServer server)
    {
        try
        {
            using var client = server.ConnectTcp();
            TestServer.SendFramed(client.GetStream(), TestQuery.Build("www.example.com", DnsType.A));
            return TestServer.ReadFramed(client.GetStream()) is { } reply && ReplyText.Parse(reply).Answer() is ["www.example.com. 300 IN A 127.0.0.10"];
        }
        catch (IOException)
        {
            return false; // reset, or nothing came: closed all the same
        }
        catch (SocketException)
        {
            return false; // refused: nothing accepts
        }
    }

    private static async Task<double> InternalErrors(TestServer server, string where) =>
        PrometheusText.Parse(await server.Http.GetStringAsync("/metrics")).Samples.Single(s => s.Name == "geodns_internal_errors_total" && s.Has(("where", where))).Value;

    private static async Task<string[]> Warnings(TestServer server)
    {
        using var body = JsonDocument.Parse(await server.Http.GetStringAsync("/healthz"));
        return [.. body.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
    }

    [Fact]
    public async Task ConnectionsWhoseSetupThrows_CountedAndClosed_TheLoopGoesOn()
    {
        await using var server = await TestServer.StartAsync();

        BreakSetup(server, true);
        var answeredWhileBroken = Enumerable.Range(0, 5).Count(_ => AnsweredOverTcp(server));
        BreakSetup(server, false);

        Assert.Equal(0, answeredWhileBroken);
        Assert.True(AnsweredOverTcp(server), "answered once setup works again");
        Assert.Equal(5, await InternalErrors(server, "tcp"));
        Assert.Equal(0, await InternalErrors(server, "loop_restart"));
        Assert.Empty(await Warnings(server));
    }

    [Fact]
    public async Task AcceptLoopEndedByAFailingLogger_NamedOnHealthzWhileDown_ThenRestartedAndAnswering()
    {
        var logs = new FailingLogs();
        await using var server = await TestServer.StartAsync(logging: b => b.AddProvider(logs));

        // A connection's setup fails, and logging that fails too: the one thing the accept loop does not catch.
        BreakSetup(server, true);
        logs.Failing = true;
        var answered = AnsweredOverTcp(server);
        logs.Failing = false;
        BreakSetup(server, false);
        Assert.False(answered);
        string[] named = [];
        for (var i = 0; i < 50 && named.Length == 0; i++)
        {
            named = [.. (await Warnings(server)).Where(w => w.Contains("accept loop ended", StringComparison.Ordinal))];
            if (named.Length == 0) await Task.Delay(20);
        }

        Assert.True(named.Length == 1, "the accept loop that ended is named on /healthz while it is down");
        Assert.Contains($"TCP on {server.Endpoint}", named[0], StringComparison.Ordinal);
        var restarted = false;
        for (var i = 0; i < 20 && !restarted; i++)
        {
            restarted = AnsweredOverTcp(server); // the restart comes a second later; meanwhile the kernel queues connections
            if (!restarted) await Task.Delay(250);
        }
        Assert.True(restarted, "restarted and answering");
        Assert.Empty(await Warnings(server));
        Assert.Equal(1, await InternalErrors(server, "loop_restart"));
        Assert.Equal(1, await InternalErrors(server, "tcp"));
    }
}
