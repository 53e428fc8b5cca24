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

    private static readonly TsigKey Key = new(DnsName.Parse("notify-key"), TsigAlgorithm.HmacSha256, [.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    private void Notify(int attempts, TsigKey? key = null) =>
        _notifier.Notify(Origin, () => (Soa, (IReadOnlyList<IPEndPoint>)[Target], key, TimeSpan.FromSeconds(1), attempts));

    /// <summary>The next NOTIFY and the address and port it came from (where its acknowledgement must go).</summary>
    private async Task<(byte[] Message, IPEndPoint From)> ReceiveWithSenderAsync()
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await _secondary.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (buffer[..received.ReceivedBytes], (IPEndPoint)received.RemoteEndPoint);
    }

    /// <summary>An acknowledgement of <paramref name="notify"/> with <paramref name="rcode"/>, signed with <paramref name="key"/> when given.</summary>
    private byte[] Ack(byte[] notify, byte rcode, TsigKey? key = null)
    {
        var reply = Notifier.Message(Origin, Soa, (ushort)((notify[0] << 8) | notify[1]));
        reply[2] |= 0x80;
        reply[3] = rcode;
        if (key is null) return reply;
        var check = TsigSigner.Verify(notify, MessageReader.Read(notify)!, new TsigKeyRing([key]), _time.GetUtcNow());
        return TsigSigner.Sign(reply, check, _time.GetUtcNow()).Message;
    }

    private bool Logged(string text) => _log.Entries.Any(e => e.Message.Contains(text));

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

    [Fact]
    public async Task AckFromAnotherPort_Ignored_RetriesGoOn_UntilTheSecondaryItselfAnswers()
    {
        using var impostor = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        impostor.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Notify(attempts: 3);
        var (first, notifier) = await ReceiveWithSenderAsync();

        // Same ID, same opcode, but from a port we never notified: not an answer.
        impostor.SendTo(Ack(first, Rcode.Refused), notifier);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await ReceiveWithSenderAsync();
        _secondary.SendTo(Ack(second, Rcode.NoError), notifier);

        await Eventually.True(() => Logged("acknowledged"), "the secondary's own answer ends the retries");
        Assert.False(Logged("answered rcode"));
    }

    [Fact]
    public async Task ZoneWithKey_UnsignedAck_Ignored_SignedAckEndsTheRetries()
    {
        Notify(attempts: 3, Key);
        var (first, notifier) = await ReceiveWithSenderAsync();
        Assert.Equal(TsigStatus.Valid, TsigSigner.Verify(first, MessageReader.Read(first)!, new TsigKeyRing([Key]), _time.GetUtcNow()).Status);

        // From the right port, but unsigned (or signed with another key): anyone on the path could have sent it.
        _secondary.SendTo(Ack(first, Rcode.NotAuth), notifier);
        _secondary.SendTo(Ack(first, Rcode.NoError, new TsigKey(Key.Name, TsigAlgorithm.HmacSha256, new byte[32])), notifier);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await ReceiveWithSenderAsync();
        _secondary.SendTo(Ack(second, Rcode.NoError, Key), notifier);

        await Eventually.True(() => Logged("acknowledged"), "a reply signed with the zone's key ends the retries");
        Assert.False(Logged("answered rcode"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    public void Dispose()
    {
        _notifier.Dispose();
        _secondary.Dispose();
    }
}
