using System.Net;
using System.Net.Sockets;

namespace GeoDns.Server;

/// <summary>Why a DNS address cannot be listened on, with the address and what to do: the socket's words alone name neither.</summary>
public static class ListenFailure
{
    public static string Describe(IPEndPoint endpoint, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse =>
            $"cannot listen on {endpoint}: the port is in use by another program (`ss -lntup 'sport = :{endpoint.Port}'` names it; on port 53 it is often systemd-resolved); stop it, or choose another --listen",
        SocketError.AccessDenied =>
            $"cannot listen on {endpoint}: permission denied; ports below 1024 need CAP_NET_BIND_SERVICE (the systemd unit deploy/systemd/geodns.service grants it; by hand: sudo setcap cap_net_bind_service=+ep GeoDns.Server), or listen on a port above 1023",
        SocketError.AddressNotAvailable =>
            $"cannot listen on {endpoint}: the address is not on this machine (`ip -brief address` lists those that are)",
        _ => $"cannot listen on {endpoint}: {e.Message}",
    };
}
