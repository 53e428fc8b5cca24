using GeoDns.Diagnostics;
using GeoDns.Testing;

namespace GeoDns.Tests.Diagnostics;

public class GcPausesTests
{
    [Fact]
    public async Task ACollection_IsCountedWithItsLength()
    {
        var pauses = GcPauses.Shared;
        var before = pauses.Counts().Sum();
        GC.Collect();
        // The runtime's events arrive shortly after the collection.
        await Eventually.True(() => pauses.Counts().Sum() > before, "the collection is counted");
        Assert.True(pauses.LongestSeconds > 0);
        Assert.True(pauses.SumSeconds >= pauses.LongestSeconds);
        Assert.Equal(GcPauses.BucketBounds.Length + 1, pauses.Counts().Length);
    }
}
