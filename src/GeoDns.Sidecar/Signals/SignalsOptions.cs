using System.Globalization;

namespace GeoDns.Sidecar.Signals;

/// <summary>
/// <c>signals</c>: what each edge reports of itself (deploy/edge/geodns-edge-signals), and how much of it <c>run</c> keeps.
/// <see cref="Port"/> and <see cref="Interval"/> are rendered into the edge's nginx.conf, so a change reaches an edge
/// when it is provisioned again (a rotation).
/// </summary>
public sealed class SignalsOptions
{
    public const int DefaultPort = 8055;

    /// <summary>The edge's port for its signals, let in from the home's tunnel address only.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>How often the edge's script samples; the home reads the latest sample each <c>rotation.pollInterval</c>.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much of each edge's signals <c>run</c> keeps (the panel's sparklines span it), in the state file too, so a restart loses none of it.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The edge's own directory for signals.json (the unit's RuntimeDirectory): a placeholder like the others.</summary>
    public const string DefaultDirectory = "/run/geodns-edge-signals";

    /// <summary>The placeholders the templates' signals server and the script's line use.</summary>
    public IReadOnlyDictionary<string, string> Variables() => new Dictionary<string, string>
    {
        ["signals_port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["signals_interval"] = Interval.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
        ["signals_dir"] = DefaultDirectory,
    };

    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535 or 80 or 443) yield return $"signals.port: {Port} is not a port (1-65535) the edge's users do not already have (80, 443)";
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromMinutes(1) || Interval.Ticks % TimeSpan.TicksPerSecond != 0)
            yield return $"signals.interval: {Interval} must be whole seconds from 1 s to 1 min (the edge's script sleeps that long)";
        if (History < TimeSpan.FromMinutes(1) || History > TimeSpan.FromDays(1)) yield return $"signals.history: {History} must be 1 min to 1 day";
        else if (History < 10 * Interval) yield return $"signals.history {History} keeps fewer than 10 signals.interval ({Interval}): too few points to see a trend";
    }
}
