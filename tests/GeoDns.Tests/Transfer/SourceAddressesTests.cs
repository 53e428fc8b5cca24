using System.Net;
using System.Net.Sockets;
using GeoDns.Transfer;

namespace GeoDns.Tests.Transfer;

public sealed class SourceAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0:53,[::]:53", null, null)]
    [InlineData("198.51.100.1:53,[::]:53", "198.51.100.1", null)]
    [InlineData("0.0.0.0:53,[2001:db8::1]:53,198.51.100.2:53", "198.51.100.2", "2001:db8::1")]
    [InlineData("198.51.100.1:53,198.51.100.2:53", "198.51.100.1", null)]
    public void From_TheFirstBoundAddressOfEachFamily_NeverAWildcard(string listen, string? v4, string? v6)
    {
        var sources = SourceAddresses.From(listen.Split(',').Select(IPEndPoint.Parse));

        Assert.Equal(v4, sources.V4?.ToString());
        Assert.Equal(v6, sources.V6?.ToString());
    }

    [Fact]
    public void Bind_LeavesFromTheSource_OnAPortOfTheKernels()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        new SourceAddresses(IPAddress.Parse("127.0.0.63"), null).Bind(socket);

        var bound = (IPEndPoint)socket.LocalEndPoint!;
        Assert.Equal("127.0.0.63", bound.Address.ToString());
        Assert.NotEqual(0, bound.Port);
    }
}
