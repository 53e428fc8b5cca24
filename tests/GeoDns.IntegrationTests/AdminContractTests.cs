using GeoDns.Contracts;
using GeoDns.Health;
using GeoDns.Server.Admin;

namespace GeoDns.IntegrationTests;

/// <summary>The admin API's wire vocabulary (GeoDns.Contracts) against the engine's.</summary>
public sealed class AdminContractTests
{
    [Fact]
    public void Wire_EveryProbeState_KeepsItsName()
    {
        foreach (var state in Enum.GetValues<HealthState>())
            Assert.Equal(state.ToString(), EdgeReport.Wire(state).ToString());
        Assert.Equal(Enum.GetNames<HealthState>(), Enum.GetNames<EdgeState>());
    }

    [Fact]
    public void For_FillsAndEscapesSegments()
    {
        Assert.Equal("v1/pools/app.example.com/edges/a%2Fb", AdminPaths.For(AdminPaths.PoolEdge, "app.example.com", "a/b"));
        Assert.Equal("v1/edges/edge-1/drain", AdminPaths.For(AdminPaths.Drain, name: "edge-1"));
    }
}
