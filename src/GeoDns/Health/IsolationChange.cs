using System.Net.Sockets;

namespace GeoDns.Health;

/// <summary>An address family's isolation began (<paramref name="Entered"/>) or ended; <paramref name="Targets"/>: how many targets of that family are monitored.</summary>
internal sealed record IsolationChange(AddressFamily Family, bool Entered, DateTimeOffset Since, DateTimeOffset At, string Cause, int Targets);
