using System.Net;

namespace GeoDns.Answering;

/// <summary>
/// One diverted message (transfer, NOTIFY, UPDATE, signed query) on its way to an <see cref="ExchangeWorkers"/> worker,
/// with the way back to its client: the transport that read it says how its replies are sent.
/// </summary>
public abstract class ExchangeJob(byte[] message, IPAddress client, bool tcp)
{
    public byte[] Message { get; } = message;

    public IPAddress Client { get; } = client;

    public bool Tcp { get; } = tcp;

    /// <summary>Called once, on a worker, with the replies in order (none: stay silent).</summary>
    public abstract void Deliver(IReadOnlyList<byte[]> replies);
}
