using System.Net;

namespace GeoDns.Health;

/// <summary>One thing to probe: an address, and how. Equal targets are probed once, whoever asks.</summary>
public sealed record ProbeTarget(IPAddress Address, ProbeSettings Settings)
{
    public override string ToString() => $"{Settings.Type}://{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{Settings.Port}";
}
