using System.Buffers.Binary;

namespace GeoDns.Protocol;

/// <summary>
/// Reads a whole DNS message off the query path (transfers, NOTIFY, UPDATE, TSIG): header, one
/// question and every record of the three sections. Compression pointers must point backwards and
/// are followed a bounded number of times, every length is checked, so a garbled message reads as
/// null, never as an exception or a loop.
/// </summary>
public sealed class MessageReader
{
    private const int MaxPointers = 64;

    private MessageReader() { }

    public ushort Id { get; private init; }
    public byte Opcode { get; private init; }
    /// <summary>The third and fourth header bytes as sent.</summary>
    public ushort Flags { get; private init; }
    public DnsName QuestionName { get; private init; } = DnsName.Root;
    public ushort QuestionType { get; private init; }
    public ushort QuestionClass { get; private init; }
    /// <summary>Offset just past the question.</summary>
    public int QuestionEnd { get; private init; }
    /// <summary>Answer (UPDATE: prerequisites), authority (UPDATE: updates) and additional sections.</summary>
    public IReadOnlyList<WireRecord> Answers { get; private init; } = [];
    public IReadOnlyList<WireRecord> Authorities { get; private init; } = [];
    public IReadOnlyList<WireRecord> Additionals { get; private init; } = [];

    public bool IsResponse => (Flags & 0x8000) != 0;
    public byte Rcode => (byte)(Flags & 0xF);

    /// <summary>The message, or null when it is not one well-formed message with exactly one question.</summary>
    public static MessageReader? Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < Query.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1) return null;
        var offset = Query.HeaderLength;
        if (ReadName(message, ref offset) is not { } qname || offset + 4 > message.Length) return null;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var qclass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        offset += 4;
        var questionEnd = offset;
        var sections = new List<WireRecord>[3];
        for (var s = 0; s < 3; s++)
        {
            var count = BinaryPrimitives.ReadUInt16BigEndian(message[(6 + 2 * s)..]);
            sections[s] = new List<WireRecord>(Math.Min((int)count, 64));
            for (var i = 0; i < count; i++)
            {
                if (ReadRecord(message, ref offset) is not { } record) return null;
                sections[s].Add(record);
            }
        }
        if (offset != message.Length) return null; // trailing bytes: not one message
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        return new MessageReader
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(message),
            Flags = flags,
            Opcode = (byte)((flags >> 11) & 0xF),
            QuestionName = qname,
            QuestionType = qtype,
            QuestionClass = qclass,
            QuestionEnd = questionEnd,
            Answers = sections[0],
            Authorities = sections[1],
            Additionals = sections[2],
        };
    }

    private static WireRecord? ReadRecord(ReadOnlySpan<byte> message, ref int offset)
    {
        var start = offset;
        if (ReadName(message, ref offset) is not { } owner || offset + 10 > message.Length) return null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        var dataStart = offset + 10;
        var dataEnd = dataStart + length;
        if (dataEnd > message.Length) return null;
        offset = dataEnd;
        var data = length == 0 ? [] : RdataNames.IsCompressible(type) ? Decompress(message, type, dataStart, dataEnd) : message[dataStart..dataEnd].ToArray();
        return data is null ? null : new WireRecord(owner, type, @class, ttl, data, start, dataEnd);
    }

    /// <summary>RDATA of NS, CNAME, PTR, MX and SOA with its names spelled out, as zones store it.</summary>
    private static byte[]? Decompress(ReadOnlySpan<byte> message, ushort type, int start, int end)
    {
        var output = new List<byte>(end - start + 32);
        var offset = start;
        if (type == DnsType.MX)
        {
            if (offset + 2 > end) return null;
            output.AddRange(message.Slice(offset, 2));
            offset += 2;
        }
        for (var i = 0; i < (type == DnsType.SOA ? 2 : 1); i++)
        {
            if (ReadName(message, ref offset) is not { } name || offset > end) return null;
            output.AddRange(name.Wire);
        }
        if (type == DnsType.SOA && end - offset != 20) return null;
        if (type != DnsType.SOA && offset != end) return null;
        output.AddRange(message[offset..end]);
        return [.. output];
    }

    /// <summary>Reads a possibly compressed name; <paramref name="offset"/> ends just past it in the message.</summary>
    public static DnsName? ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        var length = 0;
        var at = offset;
        var end = -1;
        for (var pointers = 0; ;)
        {
            if (at >= message.Length) return null;
            var label = message[at];
            if ((label & 0xC0) == 0xC0)
            {
                if (at + 1 >= message.Length || ++pointers > MaxPointers) return null;
                var target = ((label & 0x3F) << 8) | message[at + 1];
                if (target >= at) return null; // only backwards: no loops
                if (end < 0) end = at + 2;
                at = target;
                continue;
            }
            if (label > DnsName.MaxLabelLength || at + label + 1 > message.Length || length + label + 1 > DnsName.MaxWireLength) return null;
            message.Slice(at, label + 1).CopyTo(wire[length..]);
            length += label + 1;
            at += label + 1;
            if (label == 0) break;
        }
        offset = end < 0 ? at : end;
        return DnsName.FromWire(wire[..length]);
    }
}
