namespace GeoDns.Sidecar.Daemon;

/// <summary>
/// <c>attack.floor</c>: the least each signal must reach, whatever the edge's baseline, to count as a flood. They sit
/// well above what a home server's own visitors make (docs/operations.md gives the reasoning), so a quiet edge whose
/// baseline is near zero is not called flooded by a busy evening.
/// </summary>
public sealed class AttackFloors
{
    /// <summary>HTTP requests per second (TLS mode).</summary>
    public double Requests { get; set; } = 200;

    /// <summary>New connections per second: the flood signal in passthrough mode, where the edge sees no requests.</summary>
    public double Connections { get; set; } = 100;

    /// <summary>429s per second: the edge's own per-client limit (50 r/s, burst 200) turning clients away.</summary>
    public double Rejected { get; set; } = 50;

    /// <summary>Bits per second received on the edge's public interface (the home's replies through the tunnel included).</summary>
    public double ReceivedBits { get; set; } = 200_000_000;

    /// <summary>Packets per second received on the edge's public interface.</summary>
    public double ReceivedPackets { get; set; } = 30_000;

    /// <summary>Half-open TCP connections (SYN-RECV) at once.</summary>
    public double SynRecv { get; set; } = 256;

    public IEnumerable<string> Problems()
    {
        foreach (var (key, value) in new[] { ("requests", Requests), ("connections", Connections), ("rejected", Rejected), ("receivedBits", ReceivedBits), ("receivedPackets", ReceivedPackets), ("synRecv", SynRecv) })
            if (!(value > 0) || double.IsInfinity(value)) yield return $"attack.floor.{key}: {value} must be above 0";
    }
}
