using System.Buffers.Binary;

namespace GeoDns.Protocol;

/// <summary>
/// Writes a DNS message (RFC 1035 §4.1) at load time, with name compression (§4.1.4).
/// In position-independent mode the only pointer written is to the question name at offset 12,
/// so the bytes after the question stay valid for any question of any length: that is what lets
/// one pre-rendered tail serve every name a wildcard or an NXDOMAIN covers. That pointer stands for
/// the query name, so only an owner equal to the question is written as it: RFC 4592 §2.1.3 synthesizes
/// the owner only, and a name in RDATA (<c>*.w.uni. MX 10 mail.*.w.uni.</c>) stays as written.
/// </summary>
public sealed class MessageWriter
{
    private const int QuestionNameOffset = 12;
    private readonly List<byte> _bytes = new(512);
    private readonly Dictionary<DnsName, int> _offsets = [];
    private readonly bool _positionIndependent;
    private readonly DnsName _qname;

    public MessageWriter(DnsName qname, ushort qtype, bool positionIndependent)
    {
        _positionIndependent = positionIndependent;
        _qname = qname;
        _bytes.AddRange(new byte[12]);
        _bytes[5] = 1; // QDCOUNT
        Remember(qname, QuestionNameOffset);
        _bytes.AddRange(qname.Wire);
        WriteUInt16(qtype);
        WriteUInt16(ResourceRecord.ClassIN);
        QuestionEnd = _bytes.Count;
    }

    public int QuestionEnd { get; }

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public void WriteRecord(DnsName owner, ushort type, uint ttl, byte[] data)
    {
        if (_positionIndependent && owner == _qname) WriteUInt16(0xC000 | QuestionNameOffset);
        else WriteName(owner);
        WriteUInt16(type);
        WriteUInt16(ResourceRecord.ClassIN);
        WriteUInt16((ushort)(ttl >> 16));
        WriteUInt16((ushort)ttl);
        var lengthAt = _bytes.Count;
        WriteUInt16(0);
        if (RdataNames.IsCompressible(type)) WriteCompressibleData(type, data);
        else _bytes.AddRange(data);
        BinaryPrimitives.WriteUInt16BigEndian(Span(lengthAt, 2), (ushort)(_bytes.Count - lengthAt - 2));
    }

    private void WriteCompressibleData(ushort type, byte[] data)
    {
        var offset = type == DnsType.MX ? 2 : 0;
        _bytes.AddRange(data.AsSpan(0, offset));
        var names = type == DnsType.SOA ? 2 : 1;
        for (var i = 0; i < names; i++)
        {
            var end = RdataNames.Skip(data, offset);
            WriteName(DnsName.FromWire(data.AsSpan(offset, end - offset)));
            offset = end;
        }
        _bytes.AddRange(data.AsSpan(offset));
    }

    private void WriteName(DnsName name)
    {
        for (var current = name; !current.IsRoot; current = current.Parent)
        {
            // Position-independent tails point at nothing but the question, and only owners do (above).
            if (!_positionIndependent && _offsets.TryGetValue(current, out var pointer))
            {
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }
            if (!_positionIndependent && _bytes.Count < 0x3FFF) _offsets.TryAdd(current, _bytes.Count);
            _bytes.AddRange(current.Wire.AsSpan(0, current.Wire[0] + 1));
        }
        _bytes.Add(0);
    }

    private void Remember(DnsName name, int offset)
    {
        _offsets[name] = offset;
        if (_positionIndependent) return;
        for (var (current, at) = (name.Parent, offset + name.Wire[0] + 1); !current.IsRoot; at += current.Wire[0] + 1, current = current.Parent)
            _offsets.TryAdd(current, at);
    }

    private void WriteUInt16(ushort value)
    {
        _bytes.Add((byte)(value >> 8));
        _bytes.Add((byte)value);
    }

    private Span<byte> Span(int offset, int length) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes).Slice(offset, length);
}
