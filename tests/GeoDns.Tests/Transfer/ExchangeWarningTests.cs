using System.Net;
using GeoDns.Answering;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Transfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Transfer;

/// <summary>The exchange's refusals name a source address anyone can forge: a flood of them is a line a second, not a line a packet.</summary>
public sealed class ExchangeWarningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private sealed class CountingLogger : ILogger
    {
        public readonly List<string> Warnings = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) lock (Warnings) Warnings.Add(formatter(state, exception));
        }
    }

    /// <summary>An unsigned UPDATE of example.com: zone section only.</summary>
    private static byte[] UnsignedUpdate(ushort id) =>
        [(byte)(id >> 8), (byte)id, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. DnsName.Parse("example.com").Wire, 0, (byte)DnsType.SOA, 0, 1];

    [Fact]
    public void UnsignedUpdatesFromForgedSources_OneWarningForTheBurst()
    {
        var log = new CountingLogger();
        using var exchange = new ZoneExchange(new Responder(), _dir.Path, new FakeTimeProvider(DateTimeOffset.UtcNow), log); // a stopped clock: the burst is one second however slow the machine

        for (var i = 0; i < 50; i++)
        {
            var replies = exchange.Exchange(UnsignedUpdate((ushort)i), IPAddress.Parse($"192.0.2.{i + 1}"), tcp: false).ToList();
            Assert.Equal(Rcode.Refused, Assert.Single(replies)[3] & 0xF);
        }

        var warning = Assert.Single(log.Warnings);
        Assert.Contains("192.0.2.1 ", warning, StringComparison.Ordinal);
        Assert.Contains("held back", warning, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
