using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using GeoDns.Health;

namespace GeoDns.Tests.Health;

public sealed class HealthReportTests
{
    private static readonly ProbeTarget A = new(IPAddress.Parse("192.0.2.1"), new ProbeSettings()), B = new(IPAddress.Parse("192.0.2.2"), new ProbeSettings());

    private static HealthReport Report(HealthState a, HealthState b, bool isolated = false) =>
        new(new Dictionary<ProbeTarget, TargetStatus> { [A] = Status(a), [B] = Status(b) })
        {
            Isolated = isolated ? ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty.Add(AddressFamily.InterNetwork, DateTimeOffset.UnixEpoch) : ImmutableDictionary<AddressFamily, DateTimeOffset>.Empty,
        };

    private static TargetStatus Status(HealthState state) => new(state, DateTimeOffset.UnixEpoch, null, 0, 0);

    [Theory]
    [InlineData(HealthState.Up, HealthState.Up, false, false)]
    [InlineData(HealthState.Up, HealthState.Suspect, false, true)]
    [InlineData(HealthState.Down, HealthState.Up, false, true)]
    [InlineData(HealthState.Up, HealthState.Up, true, true)]
    public void Degraded_WhileAnyTargetIsInDoubt_OrItsFamilyIsolated(HealthState a, HealthState b, bool isolated, bool degraded) =>
        Assert.Equal(degraded, Report(a, b, isolated).Degraded([A, B]));

    [Fact]
    public void Degraded_UnknownTarget_Counts() =>
        Assert.True(Report(HealthState.Up, HealthState.Up).Degraded([A, new ProbeTarget(IPAddress.Parse("192.0.2.9"), new ProbeSettings())]));
}
