using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GeoDns.Protocol;
using GeoDns.Tsig;
using GeoDns.Zones;

namespace GeoDns.Transfer;

/// <summary>
/// The secondary's side of a transfer, over TCP: IXFR from the serial we hold (RFC 1995), AXFR otherwise or when the
/// primary answers IXFR in AXFR form (RFC 5936). With a key every request is signed and every reply message verified
/// (RFC 8945 §5.3.1); an unsigned or badly signed reply fails the transfer, and nothing we hold changes.
/// </summary>
public static class ZoneFetcher
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The zone's records after a transfer from <paramref name="primary"/>, the current ones when up to date, or an error;
    /// after an IXFR also its steps (null after an AXFR), so that a change at pooled names only need not rebuild the zone.
    /// </summary>
    public static async Task<TransferResult> FetchAsync(IPEndPoint primary, SecondaryZoneRule zone, SecondaryCopy? current, TimeProvider time, CancellationToken cancel, SourceAddresses? source = null)
    {
        var (origin, key) = (zone.Zone, zone.Key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Timeout);
        try
        {
            using var socket = new Socket(primary.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            (source ?? SourceAddresses.Any).Bind(socket);
            await socket.ConnectAsync(primary, timeout.Token);
            var type = current is null ? DnsType.AXFR : DnsType.IXFR;
            var request = Request(origin, type, current?.Soa);
            byte[] mac = [];
            if (key is not null) (request, mac) = TsigSigner.SignRequest(request, key, time.GetUtcNow());
            await socket.SendAsync(Framed(request), timeout.Token);

            var records = new List<ResourceRecord>();
            var (messages, bytes) = (0, 0L);
            while (!Complete(records, current))
            {
                var message = await ReadFramedAsync(socket, timeout.Token);
                if ((bytes += message?.Length ?? 0) > zone.MaxBytes)
                    return TransferResult.Refused($"the transfer passed {zone.MaxBytes} bytes (exchange.secondaries[].maxBytes)");
                if (message is null) return TransferResult.Failed("the primary closed the connection mid-transfer");
                var read = MessageReader.Read(message);
                if (read is null || !read.IsResponse) return TransferResult.Failed("a transfer message did not parse");
                if (key is not null)
                {
                    if (!TsigSigner.VerifyReply(message, read, key, mac, time.GetUtcNow(), out mac, subsequent: messages > 0))
                        return TransferResult.Failed($"transfer message {messages + 1} is not signed with key {key.Name}");
                }
                if (read.Rcode != 0) return TransferResult.Failed($"the primary answered rcode {read.Rcode}");
                if (Malformed(read) is { } malformed) return TransferResult.Refused(malformed);
                records.AddRange(read.Answers.Where(r => r.Type != TsigSigner.Type).Select(r => r.ToResourceRecord($"transfer from {primary}")));
                if (records.Count > zone.MaxRecords + 2) // the SOA that opens and the one that closes are not the zone's
                    return TransferResult.Refused($"the transfer passed {zone.MaxRecords} records (exchange.secondaries[].maxRecords)");
                messages++;
                if (records.Count == 0) return TransferResult.Failed("an empty transfer");
            }
            return new TransferResult(Apply(records, current, out var steps), steps, "");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return TransferResult.Failed(cancel.IsCancellationRequested ? "stopping" : $"{primary}: {e.Message}");
        }
    }

    /// <summary>
    /// The first record of <paramref name="read"/> whose RDATA is not laid out as its type's, or null. Held to the rule
    /// UPDATE is (RFC 3597 §5): such a record would be stored, served and sent on by IXFR; and an SOA without its five
    /// numbers, read for its serial, must end the transfer as an error, not an exception.
    /// </summary>
    internal static string? Malformed(MessageReader read)
    {
        foreach (var r in read.Answers)
            if (r.Type != TsigSigner.Type && RdataLayout.Problem(r.Type, r.Data) is { } problem)
                return $"a transfer record {r.Owner} {DnsType.ToString(r.Type)} is malformed: {problem}";
        return null;
    }

    /// <summary>True when the record stream is a whole AXFR or IXFR reply.</summary>
    /// <remarks>Internal, as <see cref="Apply"/> is, for the fuzzing harness (fuzz/README.md): the socket-free half of a transfer.</remarks>
    internal static bool Complete(List<ResourceRecord> records, SecondaryCopy? current)
    {
        if (records.Count == 0 || records[0].Type != DnsType.SOA) return false;
        var newest = Serial.Of(records[0]);
        if (records.Count == 1) return current is not null && !Serial.Newer(newest, current.Serial); // up to date
        if (!Incremental(records, current)) return records[^1].Type == DnsType.SOA; // AXFR form: SOA … SOA
        // IXFR: after the first SOA come (old SOA, deletions, new SOA, additions)*, then the newest SOA again.
        var adding = false;
        for (var i = 2; i < records.Count; i++)
        {
            if (records[i].Type != DnsType.SOA) continue;
            if (adding && Serial.Of(records[i]) == newest) return i == records.Count - 1;
            adding = !adding;
        }
        return false;
    }

    private static bool Incremental(List<ResourceRecord> records, SecondaryCopy? current) =>
        current is not null && records.Count > 1 && records[1].Type == DnsType.SOA && Serial.Of(records[1]) == current.Serial && Serial.Of(records[0]) != current.Serial;

    internal static IReadOnlyList<ResourceRecord> Apply(List<ResourceRecord> records, SecondaryCopy? current, out IReadOnlyList<ZoneDelta>? steps)
    {
        steps = null;
        if (records.Count == 1) return current!.Records;
        if (!Incremental(records, current)) return records.Take(records.Count - 1).ToList(); // the SOA once, then the rest
        var zone = current!.Records.Where(r => r.Type != DnsType.SOA).ToList();
        var deltas = new List<ZoneDelta>();
        // RFC 1995 §4: (old SOA, deletions, new SOA, additions) per step, between the newest SOA at both ends.
        var (from, to) = ((ResourceRecord?)null, (ResourceRecord?)null);
        List<ResourceRecord> removed = [], added = [];
        foreach (var r in records.Skip(1).Take(records.Count - 2))
        {
            if (r.Type == DnsType.SOA)
            {
                if (from is null) from = r;
                else if (to is null) to = r;
                else
                {
                    deltas.Add(new ZoneDelta(from, removed, to, added));
                    (from, to, removed, added) = (r, null, [], []);
                }
                continue;
            }
            if (to is null) removed.Add(r);
            else added.Add(r);
        }
        if (from is not null && to is not null) deltas.Add(new ZoneDelta(from, removed, to, added));
        foreach (var delta in deltas)
        {
            foreach (var r in delta.Removed) zone.RemoveAll(x => x.Owner == r.Owner && x.Type == r.Type && x.Data.AsSpan().SequenceEqual(r.Data));
            zone.AddRange(delta.Added);
        }
        steps = deltas;
        return [records[0], .. zone];
    }

    private static byte[] Request(DnsName origin, ushort type, ResourceRecord? soa)
    {
        var writer = new MessageWriter(origin, type, positionIndependent: false);
        if (soa is not null) writer.WriteRecord(soa.Owner, DnsType.SOA, soa.Ttl, soa.Data); // RFC 1995 §3: our SOA, in AUTHORITY
        var message = writer.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)Random.Shared.Next(ushort.MaxValue));
        if (soa is not null) message[9] = 1;
        return message;
    }

    private static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];

    private static async Task<byte[]?> ReadFramedAsync(Socket socket, CancellationToken cancel)
    {
        var length = new byte[2];
        if (!await FillAsync(socket, length, cancel)) return null;
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        return await FillAsync(socket, message, cancel) ? message : null;
    }

    private static async Task<bool> FillAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
            if (read == 0) return false;
            buffer = buffer[read..];
        }
        return true;
    }
}
