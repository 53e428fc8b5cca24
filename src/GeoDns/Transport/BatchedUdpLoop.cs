using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using GeoDns.Answering;
using static GeoDns.Transport.LinuxSockets;

namespace GeoDns.Transport;

/// <summary>
/// One UDP socket's receive/answer/send loop on Linux, moving up to <c>batch</c> datagrams per
/// system call with recvmmsg/sendmmsg, as gdnsd does: the syscalls, not the DNS work, are most of
/// what a query costs. Every buffer, address and message header lives in native memory allocated
/// once per thread, so the loop allocates nothing. Each reply is written over its own query, as gdnsd
/// does: half the buffers, so fewer cache lines for the kernel to copy into and out of. On a wildcard
/// address each query's destination comes with it (IP_PKTINFO / IPV6_RECVPKTINFO) and the reply is
/// sent from that same address.
/// </summary>
internal sealed unsafe class BatchedUdpLoop : IDisposable
{
    // A buffer holds a query and then its reply: the reply may take ReplyBuffer bytes of it.
    private const int QueryBuffer = 4096, ReplyBuffer = Responder.MaxUdpPayload * 2, NameBuffer = 28, ControlBuffer = 64;

    private readonly Socket _socket;
    private readonly Responder _responder;
    private readonly int _batch;
    private readonly bool _pktInfo, _ipv6;
    private readonly byte* _memory;
    private readonly MMsgHdr* _receive, _send;
    private readonly IoVec* _receiveIov, _sendIov;
    private readonly byte* _queries, _names, _controls, _sendControls;
    private readonly Action<Exception> _failed;

    /// <param name="failed">Told of a datagram whose handling threw (it is skipped; the loop goes on).</param>
    public BatchedUdpLoop(Socket socket, Responder responder, int batch, bool pktInfo, Action<Exception> failed)
    {
        (_socket, _responder, _batch, _pktInfo, _failed) = (socket, responder, batch, pktInfo, failed);
        _ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        if (pktInfo)
            socket.SetRawSocketOption(_ipv6 ? IpProtoIpv6 : IpProtoIp, _ipv6 ? Ipv6RecvPktInfo : IpPktInfo, BitConverter.GetBytes(1));
        var size = batch * (2 * sizeof(MMsgHdr) + 2 * sizeof(IoVec) + QueryBuffer + NameBuffer + 2 * ControlBuffer);
        _memory = (byte*)NativeMemory.AllocZeroed((nuint)size);
        var at = _memory;
        _receive = (MMsgHdr*)at; at += batch * sizeof(MMsgHdr);
        _send = (MMsgHdr*)at; at += batch * sizeof(MMsgHdr);
        _receiveIov = (IoVec*)at; at += batch * sizeof(IoVec);
        _sendIov = (IoVec*)at; at += batch * sizeof(IoVec);
        _queries = at; at += batch * QueryBuffer;
        _names = at; at += batch * NameBuffer;
        _controls = at; at += batch * ControlBuffer;
        _sendControls = at;
        for (var i = 0; i < batch; i++)
        {
            _receiveIov[i] = new IoVec { Base = (nint)(_queries + i * QueryBuffer), Length = QueryBuffer };
            _receive[i].Header.Iov = (nint)(_receiveIov + i);
            _receive[i].Header.IovLength = 1;
            _receive[i].Header.Name = (nint)(_names + i * NameBuffer);
            _send[i].Header.Iov = (nint)(_sendIov + i);
            _send[i].Header.IovLength = 1;
        }
    }

    /// <summary>Bytes this thread has allocated, as of its last batch: the zero-allocation test reads it.</summary>
    public long Allocated;

    /// <summary>Replies the kernel took from this loop, as of its last batch (written by its thread only).</summary>
    public long Sent;

    /// <summary>Serves until <paramref name="stopping"/> says so (the socket's receive timeout wakes the loop to look).</summary>
    public void Run(Func<bool> stopping)
    {
        var fd = _socket.SafeHandle.DangerousGetHandle();
        while (!stopping())
        {
            for (var i = 0; i < _batch; i++)
            {
                ref var header = ref _receive[i].Header;
                header.NameLength = NameBuffer;
                header.Control = _pktInfo ? (nint)(_controls + i * ControlBuffer) : 0;
                header.ControlLength = _pktInfo ? (nuint)ControlBuffer : 0;
                header.Flags = 0;
            }
            var received = RecvMMsg(fd, _receive, (uint)_batch, MsgWaitForOne, 0);
            if (received <= 0) continue; // timeout (EAGAIN), a signal, or an ICMP error from an earlier send: look again
            // One clock read per batch, not per datagram: each reply is timed from the batch in hand to the
            // batch handed to the kernel, which is also when its client can first have it.
            var started = Stopwatch.GetTimestamp();
            var replies = 0;
            for (var i = 0; i < received; i++)
            {
                // One datagram's failure costs that datagram, never the loop (nor the replies already in the batch).
                try
                {
                    if (Answer(i, replies)) replies++;
                }
                catch (Exception e)
                {
                    _failed(e);
                }
            }
            for (var sent = 0; sent < replies;)
            {
                var n = SendMMsg(fd, _send + sent, (uint)(replies - sent), 0);
                if (n > 0) Volatile.Write(ref Sent, Sent + n);
                sent += n > 0 ? n : 1; // a reply the kernel refused (a vanished peer) is skipped, not retried
            }
            if (replies > 0) _responder.Metrics.ObserveResponses(tcp: false, Stopwatch.GetTimestamp() - started, replies);
            Allocated = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    /// <summary>Answers datagram <paramref name="i"/> in place and queues its reply as send number <paramref name="slot"/>; false when nothing is to be sent now.</summary>
    private bool Answer(int i, int slot)
    {
        ref var header = ref _receive[i].Header;
        if ((header.Flags & MsgTrunc) != 0) return false; // larger than any query we answer: drop it
        var name = _names + i * NameBuffer;
        // sockaddr_in: the address after family and port; sockaddr_in6: after flowinfo too.
        var client = _ipv6 ? new ReadOnlySpan<byte>(name + 8, 16) : new ReadOnlySpan<byte>(name + 4, 4);
        // In place: Respond reads all it needs of the query (the question it copies sits where the reply's goes) before it writes past it.
        var reply = _queries + i * QueryBuffer;
        var query = new ReadOnlySpan<byte>(reply, (int)_receive[i].Length);
        var length = _responder.Respond(query, new Span<byte>(reply, ReplyBuffer), tcp: false, client);
        if (length == Responder.Diverted)
        {
            Divert(ref header, name, query, client); // NOTIFY, UPDATE, transfers, TSIG: a worker answers
            return false;
        }
        if (length <= 0) return false;
        _sendIov[slot] = new IoVec { Base = (nint)reply, Length = (nuint)length };
        ref var send = ref _send[slot].Header;
        send.Name = (nint)name;
        send.NameLength = header.NameLength;
        send.Control = 0;
        send.ControlLength = 0;
        if (_pktInfo) ReplyFrom(ref header, ref send, _sendControls + slot * ControlBuffer);
        return true;
    }

    /// <summary>Hands a diverted datagram to the exchange's workers with what they need to reply from this socket; a full queue drops it (counted there).</summary>
    private void Divert(ref MsgHdr header, byte* name, ReadOnlySpan<byte> query, ReadOnlySpan<byte> client)
    {
        var peer = new SocketAddress(_socket.AddressFamily, (int)header.NameLength);
        new ReadOnlySpan<byte>(name, (int)header.NameLength).CopyTo(peer.Buffer.Span);
        byte[]? control = null;
        if (_pktInfo)
        {
            var scratch = stackalloc byte[ControlBuffer];
            var from = default(MsgHdr);
            ReplyFrom(ref header, ref from, scratch);
            if (from.Control != 0) control = new ReadOnlySpan<byte>(scratch, (int)from.ControlLength).ToArray();
        }
        _responder.Exchanges.TryPost(new UdpExchangeJob(query.ToArray(), new IPAddress(client), _socket, peer, control));
    }

    /// <summary>Copies the query's destination (its PKTINFO control message) into the reply's, so it leaves from the address asked.</summary>
    private void ReplyFrom(ref MsgHdr query, ref MsgHdr reply, byte* control)
    {
        // struct cmsghdr { size_t len; int level; int type; } then the data, 8-byte aligned on 64-bit Linux.
        var cmsg = (byte*)query.Control;
        var end = cmsg + (long)query.ControlLength;
        while (cmsg + 16 <= end)
        {
            var len = *(long*)cmsg;
            if (len < 16) return;
            int level = *(int*)(cmsg + 8), type = *(int*)(cmsg + 12);
            if (!_ipv6 && level == IpProtoIp && type == IpPktInfo)
            {
                // struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }: send from addr, any interface.
                Buffer.MemoryCopy(cmsg, control, ControlBuffer, 16 + 12);
                *(int*)(control + 16) = 0;
                *(uint*)(control + 20) = *(uint*)(cmsg + 24);
                reply.Control = (nint)control;
                reply.ControlLength = 32; // CMSG_SPACE(12)
                return;
            }
            if (_ipv6 && level == IpProtoIpv6 && type == Ipv6PktInfo)
            {
                Buffer.MemoryCopy(cmsg, control, ControlBuffer, 16 + 20); // struct in6_pktinfo { in6_addr addr; int ifindex; }
                reply.Control = (nint)control;
                reply.ControlLength = 40; // CMSG_SPACE(20)
                return;
            }
            cmsg += (len + 7) & ~7L;
        }
    }

    public void Dispose() => NativeMemory.Free(_memory);
}
