using GeoDns.Health;

namespace GeoDns.Tests.Health;

public sealed class LatencyEstimateTests
{
    private static readonly ProbeSettings Defaults = new(); // timeout 2 s, floor 300 ms

    private static LatencyEstimate After(params double[] milliseconds) =>
        milliseconds.Aggregate(new LatencyEstimate(), (e, ms) => e.Next(TimeSpan.FromMilliseconds(ms)));

    // samples (ms) | timeout (ms)
    [Theory]
    [InlineData(new double[0], 2000)]            // never answered: the configured cap
    [InlineData(new[] { 0.1, 0.1, 0.2 }, 300)]   // loopback or the next rack: the floor
    [InlineData(new[] { 300.0, 300, 300 }, 937.5)] // the other side of the world: 2 × 300 + 4 × 84.4 (RTTVAR 150 decaying by 3/4)
    [InlineData(new[] { 900.0, 1100 }, 2000)]    // slower than the cap allows: the cap
    public void ConnectTimeoutFor_TwiceSmoothedPlusFourDeviations_WithinFloorAndCap(double[] samples, double expected)
    {
        Assert.Equal(expected, After(samples).ConnectTimeoutFor(Defaults).TotalMilliseconds, 1);
    }

    [Fact]
    public void Next_FollowsRfc6298()
    {
        var first = After(100);
        var second = first.Next(TimeSpan.FromMilliseconds(200));

        Assert.Equal((100, 50), (first.Smoothed.TotalMilliseconds, first.Variation.TotalMilliseconds));
        // SRTT = 7/8 × 100 + 1/8 × 200; RTTVAR = 3/4 × 50 + 1/4 × |100 − 200|
        Assert.Equal((112.5, 62.5, 2), (second.Smoothed.TotalMilliseconds, second.Variation.TotalMilliseconds, second.Samples));
    }

    [Fact]
    public void ConnectTimeoutFor_FloorAboveTheCap_TheCapWins()
    {
        var settings = new ProbeSettings { Timeout = TimeSpan.FromMilliseconds(300), TimeoutFloor = TimeSpan.FromMilliseconds(500) };

        Assert.Equal(TimeSpan.FromMilliseconds(300), After(1).ConnectTimeoutFor(settings));
    }
}
