namespace GeoDns.Tests.Health;

/// <summary>
/// Waits, in real time, for something that real sockets finish asynchronously. The bound is
/// generous so a loaded machine does not fail the test; a passing test returns in milliseconds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }
}
