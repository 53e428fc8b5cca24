using GeoDns.Transport;

namespace GeoDns.Tests;

public sealed class TransportOptionsTests
{
    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(128, 10_000)]   // up to half the slots: the full timeout
    [InlineData(192, 5_000)]    // half of the other half free: half the timeout
    [InlineData(250, 500)]      // nearly full: the floor
    [InlineData(256, 500)]
    public void IdleTimeout_ShrinksAsSlotsFill(int open, int expectedMs)
    {
        var options = new TransportOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.IdleTimeout(open));
    }

    [Fact]
    public void Validate_MinAboveIdle_NamesTheKey()
    {
        var options = new TransportOptions { TcpMinIdleTimeout = TimeSpan.FromSeconds(20) };

        Assert.StartsWith("transport.tcpMinIdleTimeout:", Assert.Single(options.Validate()));
    }
}
