using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using GeoDns.Diagnostics;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transport;
using Microsoft.Extensions.Logging;

namespace GeoDns.IntegrationTests;

/// <summary>No fault ends a UDP receive loop for good: a datagram that throws is counted and skipped; a loop that ends anyway is started again.</summary>
public sealed class UdpLoopFaultTests
{
    /// <summary>A logger that fails when told to, like a log file on a full disk.</summary>
    private sealed class FailingLogger : ILogger
    {
        public volatile bool Failing;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Failing) throw new IOException("No space left on device (test logger)");
        }
    }

    private static Responder Responder()
    {
        var parsed = GeoDns.Zones.ZoneFileParser.Parse(TestServer.ExampleZone, DnsName.Parse("example.com"), "example.com.zone");
        return new Responder { Table = AnswerTableBuilder.Build(new GeoDns.Zones.ZoneSet([parsed.Zone!], [])) };
    }

    private static bool Answered(IPEndPoint server, int timeoutMs = 500)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = timeoutMs };
        socket.SendTo(TestQuery.Build("www.example.com", DnsType.A), server);
        var buffer = new byte[512];
        try { return ReplyText.Parse(buffer[..socket.Receive(buffer)]).Answer() is ["www.example.com. 300 IN A 127.0.0.10"]; }
        catch (SocketException) { return false; }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public void DatagramsThatThrow_CountedAndSkipped_TheLoopGoesOn(int batch)
    {
        var responder = Responder();
        var table = responder.Table;
        using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), responder, new TransportOptions { UdpSockets = 1, UdpBatch = batch }, new FailingLogger());

        responder.Table = null!; // every lookup now throws inside Respond
        var answeredWhileBroken = Enumerable.Range(0, 10).Count(_ => Answered(listener.LocalEndPoint, timeoutMs: 200));
        responder.Table = table;

        Assert.Equal(0, answeredWhileBroken);
        Assert.True(Answered(listener.LocalEndPoint, timeoutMs: 2000));
        Assert.Equal(10, responder.InternalErrors.Total(InternalErrors.Udp));
        Assert.Equal(0, responder.InternalErrors.Total(InternalErrors.LoopRestart));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public void LoopEndedByAFailingLogger_NamedWhileDown_ThenRestartedAndAnswering(int batch)
    {
        var responder = Responder();
        var table = responder.Table;
        var logger = new FailingLogger { Failing = true };
        using var listener = new DnsListener(new IPEndPoint(IPAddress.Loopback, 0), responder, new TransportOptions { UdpSockets = 1, UdpBatch = batch }, logger);

        // A datagram fails, and logging that fails too: the one thing the loop does not catch.
        responder.Table = null!;
        Assert.False(Answered(listener.LocalEndPoint, timeoutMs: 200));
        responder.Table = table;
        var named = false;
        for (var i = 0; i < 50 && !named; i++)
        {
            named = listener.Udp.Problems is [var problem] && problem.Contains("receive loop ended", StringComparison.Ordinal);
            if (!named) Thread.Sleep(20);
        }

        Assert.True(named, "the loop that ended is named while it is down");
        var answered = false;
        for (var i = 0; i < 10 && !answered; i++) answered = Answered(listener.LocalEndPoint); // the restart comes a second later
        Assert.True(answered, "restarted and answering");
        Assert.Empty(listener.Udp.Problems);
        Assert.Equal(1, responder.InternalErrors.Total(InternalErrors.LoopRestart));
    }
}
