using System.Net;
using System.Net.Sockets;
using GeoDns.Answering;
using static GeoDns.Transport.LinuxSockets;

namespace GeoDns.Transport;

/// <summary>
/// A diverted datagram: the worker sends its reply itself, from the socket it came in on, to the address it came
/// from. On a wildcard address with IP_PKTINFO the query's destination travels along (<paramref name="control"/>, a
/// ready cmsg) and the reply is sent with sendmsg(2) from that address, as the batched loop sends its own replies.
/// </summary>
internal sealed class UdpExchangeJob(byte[] message, IPAddress client, Socket socket, SocketAddress peer, byte[]? control)
    : ExchangeJob(message, client, tcp: false)
{
    public override void Deliver(IReadOnlyList<byte[]> replies)
    {
        if (replies.Count == 0) return;
        try
        {
            if (control is null) socket.SendTo(replies[0], SocketFlags.None, peer);
            else SendFrom(replies[0]);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A vanished peer, or the listener closed while the worker ran: nobody left to tell.
        }
    }

    private unsafe void SendFrom(byte[] reply)
    {
        var added = false;
        socket.SafeHandle.DangerousAddRef(ref added); // the descriptor stays ours (not closed and reused) during the call
        try
        {
            var name = peer.Buffer;
            fixed (byte* data = reply, address = name.Span, cmsg = control)
            {
                var iov = new IoVec { Base = (nint)data, Length = (nuint)reply.Length };
                var header = new MsgHdr
                {
                    Name = (nint)address,
                    NameLength = (uint)peer.Size,
                    Iov = (nint)(&iov),
                    IovLength = 1,
                    Control = (nint)cmsg,
                    ControlLength = (nuint)control!.Length,
                };
                SendMsg(socket.SafeHandle.DangerousGetHandle(), &header, 0); // a refused send is as lost as a lost datagram
            }
        }
        finally
        {
            if (added) socket.SafeHandle.DangerousRelease();
        }
    }
}
