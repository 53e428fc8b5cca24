using System.Buffers.Binary;
using GeoDns.Answering;
using GeoDns.Protocol;

namespace GeoDns.Fuzz;

/// <summary>
/// The query path: <see cref="Responder.Respond"/> over <see cref="FuzzZones"/>, once as UDP and once as TCP, and the
/// off-path <see cref="MessageReader"/> on the same bytes. A packet gets a reply, silence or a diversion, never an
/// exception; a reply fits its buffer, and one that echoes a question reads back as a well-formed message.
/// </summary>
public static class PacketTarget
{
    private static readonly Responder Responder = new() { Table = AnswerTableBuilder.Build(FuzzZones.Set) };
    private static readonly byte[] Reply = new byte[ushort.MaxValue];
    private static readonly byte[] Client = [192, 0, 2, 1];

    /// <summary>What became of the packet over UDP: the reply's rcode, silence or a diversion.</summary>
    public static string Run(byte[] input)
    {
        var outcome = "";
        foreach (var tcp in (ReadOnlySpan<bool>)[false, true])
        {
            var reply = Reply.AsSpan(0, tcp ? ushort.MaxValue : 4096);
            var length = Responder.Respond(input, reply, tcp, Client);
            if (!tcp) outcome = length == Responder.Diverted ? "diverted" : length == 0 ? "silence" : $"rcode {reply[3] & 0xF}";
            if (length == Responder.Diverted || length == 0) continue;
            if (length < Query.HeaderLength || length > reply.Length)
                throw new InvalidOperationException($"a reply of {length} bytes in a buffer of {reply.Length}");
            var written = reply[..length];
            if (BinaryPrimitives.ReadUInt16BigEndian(written[4..]) == 1 && (written[2] & 0x02) == 0 && MessageReader.Read(written) is null)
                throw new InvalidOperationException($"the {(tcp ? "TCP" : "UDP")} reply ({length} bytes) is not a well-formed message: {Convert.ToHexString(written)}");
        }
        _ = MessageReader.Read(input);
        return outcome;
    }
}
