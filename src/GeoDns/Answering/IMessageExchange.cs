using System.Net;

namespace GeoDns.Answering;

/// <summary>
/// What the <see cref="Responder"/> hands off its hot path: zone transfers (AXFR, IXFR), NOTIFY, UPDATE and
/// TSIG-signed messages. Called by the transports when <see cref="Responder.Respond"/> returns
/// <see cref="Responder.Diverted"/>; it may allocate, block briefly and reply with several messages (TCP).
/// </summary>
public interface IMessageExchange
{
    /// <summary>The replies to <paramref name="message"/>, each a complete DNS message; none means stay silent.</summary>
    IEnumerable<byte[]> Exchange(byte[] message, IPAddress client, bool tcp);
}
