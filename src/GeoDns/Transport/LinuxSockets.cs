using System.Runtime.InteropServices;

namespace GeoDns.Transport;

/// <summary>The few Linux socket calls .NET does not offer: batched datagram I/O (recvmmsg(2), sendmmsg(2)), and sendmsg(2) with a source address and its structures (x86-64 and arm64 layouts).</summary>
internal static partial class LinuxSockets
{
    public const int MsgWaitForOne = 0x10000, MsgTrunc = 0x20;
    public const int IpProtoIp = 0, IpPktInfo = 8, IpProtoIpv6 = 41, Ipv6RecvPktInfo = 49, Ipv6PktInfo = 50;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public nint Name;
        public uint NameLength;
        public nint Iov;
        public nuint IovLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    // No SetLastError: the loop never reads errno (a failed call is simply made again, or its datagram
    // skipped), and saving it would cost two more native calls per batch.
    [LibraryImport("libc", EntryPoint = "recvmmsg")]
    public static unsafe partial int RecvMMsg(nint socket, MMsgHdr* messages, uint count, int flags, nint timeout);

    [LibraryImport("libc", EntryPoint = "sendmsg")]
    public static unsafe partial nint SendMsg(nint socket, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "sendmmsg")]
    public static unsafe partial int SendMMsg(nint socket, MMsgHdr* messages, uint count, int flags);
}
