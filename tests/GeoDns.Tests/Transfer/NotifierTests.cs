using System.Net;
using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Testing;
using GeoDns.Tests.Health;
using GeoDns.Transfer;
using GeoDns.Tsig;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Transfer;

/// <summary>The notifier on a fake clock, sending to a silent UDP socket on loopback that counts what arrives.</summary>
public sealed class NotifierTests : IDisposable
{
    private static readonly DnsName Origin = DnsName.Parse("example.com");
    private static readonly ResourceRecord Soa = Serial.With(new ResourceRecord(Origin, DnsType.SOA, 300, [0, 0, 0, 0, 0, 0, .. new byte[16]]), 7);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly RecordingLogger<Notifier> _log = new();
    private readonly Socket _secondary = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Notifier _notifier;

    public NotifierTests()
    {
        _secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _notifier = new Notifier(_time, _log);
    }

    private IPEndPoint Target => (IPEndPoint)_secondary.LocalEndPoint!;

    private void Notify(int attempts) =>
        _notifier.Notify(Origin, () => (Soa, (IReadOnlyList<IPEndPoint>)[Target], (TsigKey?)null, TimeSpan.FromSeconds(1), attempts));

    /// <summary>The next NOTIFY the silent secondary receives within <paramref name="bound"/> of real time, or null.</summary>
    private async Task<byte[]?> ReceiveAsync(TimeSpan bound)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            var received = await _secondary.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return buffer[..received.ReceivedBytes];
        }
        catch (OperationCanceledException) { return null; }
    }

    [Fact]
    public async Task EachChange_Notified_TheNextOneAfterTheInterval()
    {
        Notify(attempts: 1);
        var first = await ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(first);
        Assert.Equal(4, (first[2] >> 3) & 0xF); // opcode NOTIFY

        // The zone was left schedulable: the next change is announced after the interval.
        Notify(attempts: 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await ReceiveAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SilentSecondary_GetsExactlyNotifyAttemptsMessages_OneTwoFourSecondsApart(int attempts)
    {
        Notify(attempts);

        var wait = TimeSpan.FromSeconds(1);
        for (var sent = 1; sent <= attempts; sent++, wait *= 2)
        {
            Assert.NotNull(await ReceiveAsync(TimeSpan.FromSeconds(10)));
            Assert.Null(await ReceiveAsync(TimeSpan.FromMilliseconds(100))); // nothing before the wait is over
            _time.Advance(wait);
        }
        await Eventually.True(() => _log.Entries.Any(e => e.Message.Contains($"did not answer {attempts} attempts")), "the notifier gives up");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    public void Dispose()
    {
        _notifier.Dispose();
        _secondary.Dispose();
    }
}
