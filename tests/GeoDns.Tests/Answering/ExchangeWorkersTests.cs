using System.Collections.Concurrent;
using System.Net;
using GeoDns.Answering;
using GeoDns.Testing;

namespace GeoDns.Tests.Answering;

/// <summary>The bounded queue of exchange work: full, it refuses and counts; drained, it takes work again.</summary>
public sealed class ExchangeWorkersTests
{
    /// <summary>An exchange whose every message waits at a gate, as an UPDATE waits for its publish; it echoes the message.</summary>
    private sealed class GatedExchange : IMessageExchange, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new();
        private int _entered;

        public int Entered => Volatile.Read(ref _entered);

        public void Open() => _gate.Set();

        public IEnumerable<byte[]> Exchange(byte[] message, IPAddress client, bool tcp)
        {
            Interlocked.Increment(ref _entered);
            _gate.Wait(TimeSpan.FromSeconds(10));
            return [message];
        }

        public void Dispose() => _gate.Dispose();
    }

    /// <summary>A message whose replies are kept, in the order the workers delivered them.</summary>
    private sealed class Message(byte id, ConcurrentQueue<byte> delivered) : ExchangeJob([0, id, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0], IPAddress.Loopback, tcp: true)
    {
        public override void Deliver(IReadOnlyList<byte[]> replies)
        {
            foreach (var reply in replies) delivered.Enqueue(reply[1]);
        }
    }

    [Fact]
    public async Task QueueFull_MessageRefusedAndCounted_ThenDrainedAndServedAgain()
    {
        using var exchange = new GatedExchange();
        var delivered = new ConcurrentQueue<byte>();
        using var workers = new ExchangeWorkers(new Responder { Exchange = exchange }, capacity: 2, workers: 1);

        // The one worker holds message 1 at the gate; 2 and 3 fill the queue; 4 finds it full.
        Assert.True(workers.TryPost(new Message(1, delivered)));
        await Eventually.True(() => exchange.Entered == 1, "the worker holds the first message");
        Assert.True(workers.TryPost(new Message(2, delivered)));
        Assert.True(workers.TryPost(new Message(3, delivered)));
        var refused = workers.TryPost(new Message(4, delivered));

        Assert.False(refused);
        Assert.Equal(1, workers.Refused);
        Assert.Equal(2, workers.Waiting);

        exchange.Open();
        await Eventually.True(() => delivered.Count == 3, "the queue drains");
        Assert.True(workers.TryPost(new Message(5, delivered)));
        await Eventually.True(() => delivered.Count == 4, "work is served again once drained");

        Assert.Equal(new byte[] { 1, 2, 3, 5 }, delivered.ToArray());
        Assert.Equal(1, workers.Refused);
    }

    [Fact]
    public void Stopped_MessageRefusedAndCounted()
    {
        var workers = new ExchangeWorkers(new Responder(), capacity: 2, workers: 1);
        workers.Dispose();

        Assert.False(workers.TryPost(new Message(1, new ConcurrentQueue<byte>())));
        Assert.Equal(1, workers.Refused);
    }
}
