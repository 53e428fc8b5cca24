using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Tsig;
using Microsoft.Extensions.Logging;

namespace GeoDns.Transfer;

/// <summary>
/// Sends NOTIFY (RFC 1996) to a zone's secondaries when it changes: at once for the first change, then at
/// most once per interval per zone, so a flapping pool costs one round a second, not one per probe.
/// Each secondary is retried (§3.6) until it answers or the attempts run out; a newer change restarts it.
/// </summary>
public sealed partial class Notifier(TimeProvider time, ILogger log, SourceAddresses? source = null) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<DnsName, ZoneState> _zones = [];
    private readonly CancellationTokenSource _stop = new();

    private sealed class ZoneState
    {
        public DateTimeOffset LastRound = DateTimeOffset.MinValue;
        public bool Scheduled;
        public int Generation;
    }

    /// <summary>Notifies <paramref name="targets"/> of <paramref name="origin"/>'s SOA <paramref name="soa"/>, now or after the interval.</summary>
    public void Notify(DnsName origin, Func<(ResourceRecord Soa, IReadOnlyList<IPEndPoint> Targets, TsigKey? Key, TimeSpan Interval, int Attempts)> current)
    {
        TimeSpan delay;
        lock (_lock)
        {
            if (!_zones.TryGetValue(origin, out var state)) _zones[origin] = state = new ZoneState();
            if (state.Scheduled) return; // the scheduled round reads the then-current SOA
            state.Scheduled = true;
            var interval = current().Interval;
            var due = state.LastRound + interval;
            delay = due > time.GetUtcNow() ? due - time.GetUtcNow() : TimeSpan.Zero;
        }
        _ = RoundAsync(origin, delay, current);
    }

    private async Task RoundAsync(DnsName origin, TimeSpan delay, Func<(ResourceRecord Soa, IReadOnlyList<IPEndPoint> Targets, TsigKey? Key, TimeSpan Interval, int Attempts)> current)
    {
        var released = false;
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, time, _stop.Token);
            int generation;
            lock (_lock)
            {
                var state = _zones[origin];
                state.Scheduled = false;
                released = true;
                state.LastRound = time.GetUtcNow();
                generation = ++state.Generation;
            }
            var (soa, targets, key, _, attempts) = current();
            await Task.WhenAll(targets.Select(t => SendAsync(origin, soa, t, key, attempts, generation)));
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            LogFailed(log, e, origin.ToString());
        }
        finally
        {
            // Whatever ended this round, the zone's next change must be able to schedule another.
            if (!released) lock (_lock) _zones[origin].Scheduled = false;
        }
    }

    private async Task SendAsync(DnsName origin, ResourceRecord soa, IPEndPoint target, TsigKey? key, int attempts, int generation)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        (source ?? SourceAddresses.Any).Bind(socket);
        var id = (ushort)Random.Shared.Next(ushort.MaxValue);
        var message = Message(origin, soa, id);
        byte[] requestMac = [];
        if (key is not null) (message, requestMac) = TsigSigner.SignRequest(message, key, time.GetUtcNow());
        var wait = TimeSpan.FromSeconds(1);
        var buffer = new byte[4096];
        for (var attempt = 1; attempt <= attempts; attempt++, wait *= 2)
        {
            lock (_lock) if (_zones[origin].Generation != generation) return; // a newer round took over
            // The wait runs on the notifier's clock, and starts before the send so an answer can never beat it.
            using var waited = new CancellationTokenSource(wait, time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, waited.Token);
            await socket.SendToAsync(message, target, _stop.Token);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(target.Address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), timeout.Token);
                    if (!Acknowledges(buffer.AsSpan(0, received.ReceivedBytes), received.RemoteEndPoint, target, id, key, requestMac)) continue;
                    var rcode = buffer[3] & 0xF;
                    if (rcode == Rcode.NoError) LogNotified(log, origin.ToString(), Serial.Of(soa), target.ToString());
                    else LogRefused(log, origin.ToString(), target.ToString(), rcode);
                    return;
                }
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested) { }
            catch (SocketException) { }
        }
        LogUnanswered(log, origin.ToString(), target.ToString(), attempts);
    }

    /// <summary>
    /// Is <paramref name="reply"/> the answer of <paramref name="target"/> to our NOTIFY? Only from the address and port
    /// notified (RFC 1996 §3.6 retries until the secondary itself answers: anyone else's datagram with a guessed ID must
    /// not stop the retries), with our ID and opcode, and signed with the zone's key when it has one (RFC 8945 §5.3:
    /// a reply to a signed request is signed; an unsigned "answer" proves nothing).
    /// </summary>
    private bool Acknowledges(ReadOnlySpan<byte> reply, EndPoint from, IPEndPoint target, ushort id, TsigKey? key, byte[] requestMac)
    {
        if (from is not IPEndPoint sender || sender.Port != target.Port || !Unmapped(sender.Address).Equals(Unmapped(target.Address))) return false;
        if (reply.Length < Query.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(reply) != id || (reply[2] & 0x80) == 0 || ((reply[2] >> 3) & 0xF) != 4) return false;
        if (key is null) return true;
        return MessageReader.Read(reply) is { } read && TsigSigner.VerifyReply(reply, read, key, requestMac, time.GetUtcNow(), out _);
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>RFC 1996 §3.7: opcode NOTIFY, AA, the zone's SOA as question and, as a hint, in the answer.</summary>
    public static byte[] Message(DnsName origin, ResourceRecord soa, ushort id)
    {
        var writer = new MessageWriter(origin, DnsType.SOA, positionIndependent: false);
        writer.WriteRecord(soa.Owner, DnsType.SOA, soa.Ttl, soa.Data);
        var message = writer.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[2] = (4 << 3) | 0x04;
        message[7] = 1;
        return message;
    }

    public void Dispose() => _stop.Cancel();

    [LoggerMessage(LogLevel.Information, "NOTIFY {Zone} serial {Serial}: {Target} acknowledged")]
    private static partial void LogNotified(ILogger log, string zone, uint serial, string target);

    [LoggerMessage(LogLevel.Warning, "NOTIFY {Zone}: {Target} answered rcode {Rcode}")]
    private static partial void LogRefused(ILogger log, string zone, string target, int rcode);

    [LoggerMessage(LogLevel.Warning, "NOTIFY {Zone}: {Target} did not answer {Attempts} attempts")]
    private static partial void LogUnanswered(ILogger log, string zone, string target, int attempts);

    [LoggerMessage(LogLevel.Error, "NOTIFY {Zone} failed")]
    private static partial void LogFailed(ILogger log, Exception e, string zone);
}
