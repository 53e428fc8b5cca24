using System.Net;

namespace GeoDns.Answering;

/// <summary>
/// What the <see cref="Responder"/> hands off its hot path: zone transfers (AXFR, IXFR), NOTIFY, UPDATE and
/// TSIG-signed messages. When <see cref="Responder.Respond"/> returns <see cref="Responder.Diverted"/> the transport
/// queues the message on <see cref="Responder.Exchanges"/>, whose worker threads call this (never a receive thread):
/// it may allocate, block (an UPDATE waits for its publish), throw (the worker answers SERVFAIL) and reply with several messages (TCP).
/// </summary>
public interface IMessageExchange
{
    /// <summary>The replies to <paramref name="message"/>, each a complete DNS message; none means stay silent.</summary>
    IEnumerable<byte[]> Exchange(byte[] message, IPAddress client, bool tcp);
}
