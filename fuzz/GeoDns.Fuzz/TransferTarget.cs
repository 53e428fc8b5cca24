using System.Buffers.Binary;
using GeoDns.Protocol;
using GeoDns.Transfer;
using GeoDns.Tsig;

namespace GeoDns.Fuzz;

/// <summary>
/// A transfer in, without the socket: what <see cref="ZoneFetcher"/> does with each message a primary sends
/// (parse, convert the records, stop at a whole AXFR or IXFR), then the IXFR application, the zone's rules
/// (<see cref="TransferCheck.Problems"/>) and the copy the secondary would store. A hostile primary gets an error
/// value back, never an exception.
/// </summary>
/// <remarks>
/// Input: one byte whose low bit asks by IXFR from our copy of <see cref="FuzzZones.Zone"/> (set) or by AXFR
/// (clear), then the reply as it comes over TCP: a two-byte length and a message, repeated. TSIG is not checked
/// (no key), as for a secondary without one.
/// </remarks>
public static class TransferTarget
{
    private static readonly SecondaryCopy Current = new(FuzzZones.Origin, FuzzZones.Zone.Records, DateTimeOffset.UnixEpoch);

    /// <summary>Empty when the transfer would be stored, else why not.</summary>
    public static string Run(byte[] input)
    {
        if (input.Length == 0) return "no input";
        var current = (input[0] & 1) == 1 ? Current : null;
        var records = new List<ResourceRecord>();
        var offset = 1;
        // The loop of ZoneFetcher.FetchAsync after the request, with the input for the socket.
        while (!ZoneFetcher.Complete(records, current))
        {
            if (offset + 2 > input.Length) return "the primary closed the connection mid-transfer";
            var length = BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(offset));
            offset += 2;
            if (offset + length > input.Length) return "the primary closed the connection mid-transfer";
            var read = MessageReader.Read(input.AsSpan(offset, length));
            offset += length;
            if (read is null || !read.IsResponse) return "a transfer message did not parse";
            if (read.Rcode != 0) return $"the primary answered rcode {read.Rcode}";
            if (ZoneFetcher.Malformed(read) is { } malformed) return malformed;
            records.AddRange(read.Answers.Where(r => r.Type != TsigSigner.Type).Select(r => r.ToResourceRecord("fuzz")));
            if (records.Count == 0) return "an empty transfer";
        }
        var zone = ZoneFetcher.Apply(records, current, out var steps);
        if (ReferenceEquals(zone, current?.Records)) return "";
        // SecondaryZone.RefreshAsync: checked against the zone's rules, then kept as the new copy.
        if (TransferCheck.Problems(FuzzZones.Origin, zone, steps, "fuzz") is { Count: > 0 } problems) return string.Join("; ", problems);
        var copy = new SecondaryCopy(FuzzZones.Origin, zone, DateTimeOffset.UnixEpoch) { Steps = steps };
        _ = (copy.Serial, copy.Refresh, copy.Retry, copy.ExpiresAt);
        return "";
    }
}
