using GeoDns.Alerts;

namespace GeoDns.Sidecar.Commands;

/// <summary>
/// <c>alerts test</c>: a test message on every channel of <c>alerts</c> at once, one line per channel (<c>ok</c>, or
/// why it failed: the HTTP status, the SMTP reply, a refused connection), exit 1 when one failed. It opens no state
/// file, so it runs beside <c>run</c>.
/// </summary>
public static class AlertsCommand
{
    public static async Task<int> TestAsync(SidecarOptions options, TextWriter output, CancellationToken cancel)
    {
        if (options.Alerts.Channels.Count == 0)
        {
            output.WriteLine("alerts: no channel in alerts.channels: nothing to test (docs/configuration.md, Alerts)");
            return 1;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var channels = options.Alerts.Channels.Select(c => AlertChannels.Create(c, http)).ToList();
        await using var alerts = new AlertDispatcher("geodns-sidecar", options.Alerts, channels, new MemoryAlertLog(), TimeProvider.System);
        var results = await alerts.TestAsync(cancel);
        foreach (var (channel, error) in results) output.WriteLine(error is null ? $"ok    {channel}" : $"FAIL  {channel}: {error}");
        return results.All(r => r.Error is null) ? 0 : 1;
    }
}
