using System.Collections.Concurrent;
using GeoDns.Diagnostics;
using GeoDns.Protocol;
using GeoDns.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoDns.Answering;

/// <summary>
/// Where exchange work waits for its workers: the receive threads only hand it over, so a slow or failing
/// UPDATE, a transfer or a full disk never stalls or ends a receive loop. Bounded: when full, a message is
/// refused (the transport drops a datagram or closes a connection) and counted, so a flood of signed
/// messages costs a fixed amount of memory. The worker threads start with the first message.
/// </summary>
public sealed partial class ExchangeWorkers : IDisposable
{
    public const int DefaultCapacity = 256, DefaultWorkers = 2;

    private readonly Responder _responder;
    private readonly BlockingCollection<ExchangeJob> _jobs;
    private readonly int _workers;
    private readonly LogCap _logCap = new();
    private readonly Lock _starting = new();
    private volatile List<Thread>? _threads;
    private long _refused;

    public ExchangeWorkers(Responder responder, int capacity = DefaultCapacity, int workers = DefaultWorkers)
    {
        _responder = responder;
        _jobs = new BlockingCollection<ExchangeJob>(capacity);
        _workers = workers;
    }

    /// <summary>Where a failing message is logged (at most a line a second).</summary>
    public ILogger Log { get; set; } = NullLogger.Instance;

    /// <summary>Messages refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Messages waiting now.</summary>
    public int Waiting => _jobs.Count;

    /// <summary>Queues <paramref name="job"/>; false when the queue is full or stopped (counted): the caller drops or closes.</summary>
    public bool TryPost(ExchangeJob job)
    {
        if (_threads is null) Start();
        try
        {
            if (_jobs.TryAdd(job)) return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // Stopped: refused like a full queue.
        }
        Interlocked.Increment(ref _refused);
        return false;
    }

    private void Start()
    {
        lock (_starting)
        {
            if (_threads is not null) return;
            var threads = Enumerable.Range(0, _workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"exchange {i}" }).ToList();
            foreach (var thread in threads) thread.Start();
            _threads = threads;
        }
    }

    private void Work()
    {
        try
        {
            foreach (var job in _jobs.GetConsumingEnumerable()) Handle(job);
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>Runs one message through the exchange and delivers its replies; whatever fails is caught here, so the worker goes on.</summary>
    internal void Handle(ExchangeJob job)
    {
        IReadOnlyList<byte[]> replies;
        try
        {
            replies = _responder.Exchange is not { } exchange ? []
                // UDP carries one reply; TCP takes them all, made here on the worker (a transfer's messages included).
                : job.Tcp ? [.. exchange.Exchange(job.Message, job.Client, tcp: true)]
                : [.. exchange.Exchange(job.Message, job.Client, tcp: false).Take(1)];
        }
        catch (Exception e)
        {
            Failed(e, "exchange");
            replies = ServFail(job.Message) is { } servFail ? [servFail] : [];
        }
        // Over UDP, a reply larger than the receive loops' own buffers never went out before either: dropped, not fragmented.
        if (!job.Tcp && replies.Count > 0)
            replies = replies[0].Length <= Responder.MaxUdpPayload * 2 && LimitExchangeReply(replies[0], job.Client.GetAddressBytes()) is { } passed ? [passed] : [];
        try
        {
            job.Deliver(replies);
        }
        catch (Exception e)
        {
            Failed(e, "reply");
        }
    }

    private void Failed(Exception e, string step)
    {
        _responder.InternalErrors.Count(InternalErrors.Exchange);
        try
        {
            if (_logCap.TryTake(out var held)) LogFailed(Log, e, step, held);
        }
        catch (Exception)
        {
            // A logger that fails (a log file on the full disk) must not end the worker: the counter still tells.
        }
    }

    /// <summary>
    /// An exchange's UDP reply passed through RRL as a query's would be: <paramref name="reply"/>, a header-only TC=1
    /// copy (slip: smaller than any query, so nothing is amplified), or null to drop it. Exchange replies share a
    /// bucket per client prefix and opcode, apart from the answers to plain queries.
    /// </summary>
    private byte[]? LimitExchangeReply(byte[] reply, ReadOnlySpan<byte> client)
    {
        if (_responder.RateLimiter is not { } limiter || reply.Length < Query.HeaderLength) return reply;
        var kind = (reply[3] & 0xF) == Rcode.NoError ? AnswerClass.Positive : AnswerClass.Error;
        switch (limiter.Decide(client, kind, subject: ExchangeSubject + ((reply[2] >> 3) & 0xF)))
        {
            case RateDecision.Drop:
                return null;
            case RateDecision.Slip:
                var slipped = reply[..Query.HeaderLength];
                slipped[2] |= 0x02;
                slipped.AsSpan(4, 8).Clear();
                return slipped;
            default:
                return reply;
        }
    }

    /// <summary>Keeps exchange buckets apart from the subjects of prepared answers (object hashes, name hashes).</summary>
    private const int ExchangeSubject = 0x45584300;

    /// <summary>SERVFAIL with the query's ID and opcode, nothing else: what the client is told when we failed, not it.</summary>
    private static byte[]? ServFail(byte[] message)
    {
        if (message.Length < Query.HeaderLength || (message[2] & 0x80) != 0) return null;
        var reply = message[..Query.HeaderLength];
        reply[2] = (byte)(0x80 | (message[2] & 0x79));
        reply[3] = Rcode.ServFail;
        Array.Clear(reply, 4, 8);
        return reply;
    }

    public void Dispose()
    {
        _jobs.CompleteAdding();
        List<Thread> threads;
        lock (_starting) threads = _threads ?? [];
        // A worker may be inside an UPDATE's publish wait (10 s at most): let it finish, so nothing is cut halfway.
        foreach (var thread in threads) thread.Join(TimeSpan.FromSeconds(15));
    }

    [LoggerMessage(LogLevel.Error, "Exchange worker: handling a message failed at its {Step} ({Held} more failure(s) since the last line); the worker goes on")]
    private static partial void LogFailed(ILogger log, Exception exception, string step, long held);
}
