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
    private readonly Dictionary<Suffix, int> _offsets = new(SuffixComparer.Instance);
    private bool _positionIndependent;
    private DnsName _qname = DnsName.Root;

    public MessageWriter(DnsName qname, ushort qtype, bool positionIndependent) => Reset(qname, qtype, positionIndependent);

    /// <summary>Starts a new message in the same buffers: a build renders hundreds of thousands of replies, and reuses one writer.</summary>
    public void Reset(DnsName qname, ushort qtype, bool positionIndependent)
    {
        _bytes.Clear();
        _offsets.Clear();
        _positionIndependent = positionIndependent;
        _qname = qname;
        for (var i = 0; i < 12; i++) _bytes.Add(0);
        _bytes[5] = 1; // QDCOUNT
        Remember(qname, QuestionNameOffset);
        _bytes.AddRange(qname.Wire);
        WriteUInt16(qtype);
        WriteUInt16(ResourceRecord.ClassIN);
        QuestionEnd = _bytes.Count;
    }

    public int QuestionEnd { get; private set; }

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    /// <summary>Everything after the question, in one new array.</summary>
    public byte[] Tail() => TailSpan.ToArray();

    /// <summary>Everything after the question, as written so far (valid until the next write).</summary>
    public ReadOnlySpan<byte> TailSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes)[QuestionEnd..];

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
        var names = NamesIn(type, data, offset);
        foreach (var name in names)
        {
            WriteName(name);
            offset = RdataNames.Skip(data, offset);
        }
        _bytes.AddRange(data.AsSpan(offset));
    }

    /// <summary>The RDATA's names, for the last few RDATA written: a table build writes one zone's SOA into every negative reply.</summary>
    private readonly (byte[]? Data, DnsName[] Names)[] _recent = new (byte[]?, DnsName[])[4];
    private int _nextRecent;

    private DnsName[] NamesIn(ushort type, byte[] data, int offset)
    {
        foreach (var (recent, known) in _recent)
            if (ReferenceEquals(recent, data)) return known; // records are immutable: the same array holds the same names
        var names = new DnsName[type == DnsType.SOA ? 2 : 1];
        for (var i = 0; i < names.Length; i++)
        {
            var end = RdataNames.Skip(data, offset);
            names[i] = DnsName.FromWire(data.AsSpan(offset, end - offset));
            offset = end;
        }
        _recent[_nextRecent] = (data, names);
        _nextRecent = (_nextRecent + 1) % _recent.Length;
        return names;
    }

    private void WriteName(DnsName name)
    {
        // Each suffix of the name, by where it starts in its wire form: no name is made to look one up.
        for (var start = 0; name.Wire[start] != 0; start += name.Wire[start] + 1)
        {
            var suffix = new Suffix(name, start);
            // Position-independent tails point at nothing but the question, and only owners do (above).
            if (!_positionIndependent && _offsets.TryGetValue(suffix, out var pointer))
            {
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }
            if (!_positionIndependent && _bytes.Count < 0x3FFF) _offsets.TryAdd(suffix, _bytes.Count);
            _bytes.AddRange(name.Wire.AsSpan(start, name.Wire[start] + 1));
        }
        _bytes.Add(0);
    }

    private void Remember(DnsName name, int offset)
    {
        _offsets[new Suffix(name, 0)] = offset;
        if (_positionIndependent) return;
        for (var start = name.Wire[0] + 1; name.Wire[start] != 0; start += name.Wire[start] + 1)
            _offsets.TryAdd(new Suffix(name, start), offset + start);
    }

    /// <summary>The name made of <see cref="Name"/>'s labels from byte <see cref="Start"/> of its wire form on.</summary>
    private readonly record struct Suffix(DnsName Name, int Start)
    {
        public ReadOnlySpan<byte> Wire => Name.Wire.AsSpan(Start);
    }

    /// <summary>Suffixes compare by their (canonical, lowercase) wire bytes, as names do.</summary>
    private sealed class SuffixComparer : IEqualityComparer<Suffix>
    {
        public static readonly SuffixComparer Instance = new();

        public bool Equals(Suffix a, Suffix b) => a.Wire.SequenceEqual(b.Wire);

        public int GetHashCode(Suffix suffix)
        {
            var hash = new HashCode();
            hash.AddBytes(suffix.Wire);
            return hash.ToHashCode();
        }
    }

    private void WriteUInt16(ushort value)
    {
        _bytes.Add((byte)(value >> 8));
        _bytes.Add((byte)value);
    }

    private Span<byte> Span(int offset, int length) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes).Slice(offset, length);
}
