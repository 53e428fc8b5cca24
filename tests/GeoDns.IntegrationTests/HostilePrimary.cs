using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Transfer;

namespace GeoDns.IntegrationTests;

/// <summary>
/// A primary of our own that serves whatever it is given, rules or not: AXFR of <see cref="Zone"/>, and IXFR of
/// <see cref="Steps"/> when the secondary asks from the serial they start at. On loopback, stopped by disposal.
/// </summary>
public sealed class HostilePrimary : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public HostilePrimary()
    {
        _listener.Start();
        _ = ServeAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    private sealed record Content(IReadOnlyList<ResourceRecord> Zone, IReadOnlyList<ZoneDelta> Steps);

    private volatile Content _content = new([], []);

    /// <summary>The zone as AXFR sends it; its first record is the SOA.</summary>
    public IReadOnlyList<ResourceRecord> Zone
    {
        get => _content.Zone;
        set => _content = _content with { Zone = value };
    }

    /// <summary>What an IXFR sends, from the first step's old SOA to <see cref="Zone"/>'s SOA.</summary>
    public IReadOnlyList<ZoneDelta> Steps
    {
        get => _content.Steps;
        set => _content = _content with { Steps = value };
    }

    /// <summary>Sets both at once, so that no transfer sees the new zone with the old steps (sent as an AXFR instead).</summary>
    public void Serve(IReadOnlyList<ResourceRecord> zone, IReadOnlyList<ZoneDelta> steps) => _content = new(zone, steps);

    /// <summary>A record as a hostile primary sends it, unchecked: A (an address), NS and CNAME (a name).</summary>
    public static ResourceRecord Record(string owner, ushort type, string value) =>
        new(DnsName.Parse(owner), type, 300, type == DnsType.A ? IPAddress.Parse(value).GetAddressBytes() : DnsName.Parse(value).Wire);

    /// <summary>An SOA for <paramref name="origin"/> that asks for a refresh every second (so a new serial is pulled at once).</summary>
    public static ResourceRecord Soa(string origin, uint serial)
    {
        var data = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(data, serial);
        foreach (var (at, value) in new[] { (4, 1u), (8, 1u), (12, 1209600u), (16, 60u) }) BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
        return new(DnsName.Parse(origin), DnsType.SOA, 300, [.. DnsName.Parse("ns1." + origin).Wire, .. DnsName.Parse("hostmaster." + origin).Wire, .. data]);
    }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptSocketAsync(_stop.Token);
                var length = new byte[2];
                await client.ReceiveAsync(length, SocketFlags.None, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                for (var read = 0; read < query.Length;) read += await client.ReceiveAsync(query.AsMemory(read), SocketFlags.None, _stop.Token);
                var request = MessageReader.Read(query)!;
                var (zone, steps) = _content;
                var version = new ZoneVersion(Serial.Of(zone[0]), zone[0], [.. zone.Skip(1)], "");
                var messages = request.QuestionType == DnsType.IXFR && steps.Count > 0 && Serial.Of(request.Authorities[0].ToResourceRecord()) == Serial.Of(steps[0].FromSoa)
                    ? TransferWriter.Ixfr(request, version, steps)
                    : TransferWriter.Axfr(request, version);
                foreach (var message in messages) await client.SendAsync((byte[])[(byte)(message.Length >> 8), (byte)message.Length, .. message], SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
