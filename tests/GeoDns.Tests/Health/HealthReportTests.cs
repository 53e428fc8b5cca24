using System.Net;
using GeoDns.Health;

namespace GeoDns.Tests.Health;

public sealed class HealthReportTests
{
    private static readonly ProbeTarget A = new(IPAddress.Parse("192.0.2.1"), new ProbeSettings()), B = new(IPAddress.Parse("192.0.2.2"), new ProbeSettings());

    private static TargetStatus Status(HealthState state) => new(state, DateTimeOffset.UnixEpoch, null, 0, 0);

    private static readonly HealthReport Report = new(new Dictionary<ProbeTarget, TargetStatus> { [A] = Status(HealthState.Up), [B] = Status(HealthState.Down) });

    [Fact]
    public void StateOf_RetunedTarget_TheSameEdgeProbedTheSameWay_KeepsItsState()
    {
        var retuned = A with { Settings = A.Settings with { Interval = TimeSpan.FromSeconds(7), Timeout = TimeSpan.FromSeconds(1) } };

        Assert.Equal((HealthState.Up, HealthState.Down), (Report.StateOf(retuned), Report.StateOf(B)));
    }

    [Fact]
    public void StateOf_AnotherPortOrProbeType_IsAnotherTarget_Unknown()
    {
        Assert.Equal(HealthState.Unknown, Report.StateOf(A with { Settings = A.Settings with { Port = 8443 } }));
        Assert.Equal(HealthState.Unknown, Report.StateOf(A with { Settings = A.Settings with { Type = "https" } }));
        Assert.Null(Report.StatusOf(new ProbeTarget(IPAddress.Parse("192.0.2.9"), new ProbeSettings())));
    }
}
