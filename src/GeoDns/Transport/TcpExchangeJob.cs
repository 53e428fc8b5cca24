using System.Net;
using GeoDns.Answering;

namespace GeoDns.Transport;

/// <summary>A diverted TCP message: the connection awaits <see cref="Replies"/> (without holding a thread) and sends them itself, with its send timeout.</summary>
internal sealed class TcpExchangeJob(byte[] message, IPAddress client) : ExchangeJob(message, client, tcp: true)
{
    private readonly TaskCompletionSource<IReadOnlyList<byte[]>> _replies = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The replies in order; none for a message not to be answered (a response).</summary>
    public Task<IReadOnlyList<byte[]>> Replies => _replies.Task;

    // Continuations run asynchronously: the worker goes back to its queue at once, never into a connection's send.
    public override void Deliver(IReadOnlyList<byte[]> replies) => _replies.TrySetResult(replies);
}
