using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace GeoDns.RateLimiting;

/// <summary>
/// The RRL bucket table: a fixed array of token buckets, keyed by a keyed hash of (client prefix,
/// answer class, subject), where the subject is what the reply is about (the prepared answer; the name for NODATA; the
/// zone for NXDOMAIN, the cut for referrals). The array is 4-way set associative: a key lives in one
/// set of four buckets, and a new key takes the set's empty or fullest bucket, so memory
/// is fixed whatever the number of sources (Knot does the same with its fixed table). The hash seed
/// is random per process, so an attacker cannot aim collisions at a victim's bucket.
/// Each set has a spin lock: a decision is a few arithmetic operations, and sets are many, so two
/// UDP threads rarely meet. Nothing here allocates.
/// </summary>
public sealed partial class RateLimiter
{
    private const int Ways = 4;
    /// <summary>Credits are kept in thousandths of a reply: refill is rate × elapsed milliseconds.</summary>
    private const long ReplyCost = 1000;

    private struct Bucket
    {
        public ulong Key;     // 0 = empty
        public long Stamp;    // milliseconds of the last refill
        public long Credit;   // thousandths of a reply
        public int Limited;   // replies limited since the bucket last had credit; drives slip
    }

    /// <summary>The buckets and their set locks: replaced only when <c>rrl.tableSize</c> changes.</summary>
    private sealed class Table(int sets)
    {
        public readonly Bucket[] Buckets = new Bucket[sets * Ways];
        public readonly int[] Locks = new int[sets];
        public readonly int SetMask = sets - 1;
    }

    /// <summary>The settings a decision reads, swapped whole on reload so a decision never sees half of an old and half of a new one.</summary>
    private sealed class Policy(RateLimitOptions options)
    {
        public readonly RateLimitOptions Options = options;
        public readonly long Rate = options.ResponsesPerSecond, Capacity = options.ResponsesPerSecond * ReplyCost;
        public readonly int Slip = options.Slip;
        public readonly bool LogOnly = options.LogOnly;
        public readonly ulong Prefix4 = Mask(options.Ipv4PrefixLength), Prefix6 = Mask(options.Ipv6PrefixLength);
        public readonly AddressPrefix[] Exempt = options.Exempt.Select(e => AddressPrefix.TryParse(e, out _)!).ToArray();
    }

    private volatile Table _table;
    private volatile Policy _policy;
    private readonly ulong _seed0, _seed1;
    private readonly TimeProvider _time;
    private readonly bool _systemClock;
    private readonly long _ticksPerMs;
    private readonly ILogger _log;
    private readonly RateLimitCounters _counters = new();
    private readonly LogCap _logCap = new();

    /// <exception cref="ArgumentException">The options are not valid (the message names the keys).</exception>
    public RateLimiter(RateLimitOptions options, TimeProvider time, ILogger log)
    {
        _policy = new Policy(Validated(options));
        _table = new Table(Sets(options));
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        _seed0 = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        _seed1 = BinaryPrimitives.ReadUInt64LittleEndian(seed[8..]);
        _time = time;
        _systemClock = ReferenceEquals(time, TimeProvider.System);
        _ticksPerMs = Math.Max(1, time.TimestampFrequency / 1000);
        _log = log;
    }

    /// <summary>Buckets in the table: fixed until <c>rrl.tableSize</c> changes.</summary>
    public int Capacity => _table.Buckets.Length;

    /// <summary>The settings in force.</summary>
    public RateLimitOptions Options => _policy.Options;

    public RateLimitCounters Counters => _counters;

    /// <summary>
    /// Applies reloaded settings. The bucket table is kept unless the table size changed, so a flood
    /// being limited stays limited across a reload (a new table would hand every source a fresh
    /// burst); credits above a lowered rate are capped at the next refill. Counters carry on.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not valid (the message names the keys); nothing changes.</exception>
    public void Reconfigure(RateLimitOptions options)
    {
        var policy = new Policy(Validated(options));
        if (Sets(options) * Ways != _table.Buckets.Length) _table = new Table(Sets(options));
        _policy = policy;
    }

    private static RateLimitOptions Validated(RateLimitOptions options)
    {
        var errors = options.Validate();
        return errors.Count > 0 ? throw new ArgumentException(string.Join("; ", errors)) : options;
    }

    private static int Sets(RateLimitOptions options) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(Ways, options.TableSize)) / Ways;

    /// <summary>Decides the fate of one UDP reply to <paramref name="client"/> (4 or 16 address bytes).</summary>
    /// <param name="subject">What the reply is about, as a hash: equal subjects share a bucket.</param>
    public RateDecision Decide(ReadOnlySpan<byte> client, AnswerClass kind, int subject)
    {
        if (client.Length is not (4 or 16)) return RateDecision.Send;
        var policy = _policy;
        var table = _table;
        foreach (var exempt in policy.Exempt)
            if (exempt.Contains(client)) return RateDecision.Send;
        var key = Key(policy, client, kind, subject);
        var now = NowMs();
        var set = (int)(key >> 40) & table.SetMask;
        int limited;
        Lock(table, set);
        try
        {
            ref var bucket = ref Find(policy, table, set, key, now);
            var elapsed = Math.Clamp(now - bucket.Stamp, 0, 1000);
            bucket.Credit = Math.Min(policy.Capacity, bucket.Credit + elapsed * policy.Rate);
            bucket.Stamp = Math.Max(bucket.Stamp, now);
            if (bucket.Credit >= ReplyCost)
            {
                bucket.Credit -= ReplyCost;
                bucket.Limited = 0;
                return RateDecision.Send;
            }
            limited = ++bucket.Limited;
        }
        finally
        {
            Volatile.Write(ref table.Locks[set], 0);
        }
        if (limited == 1) LogStart(policy, client, kind, now);
        if (policy.LogOnly)
        {
            _counters.Count(RateLimitCounters.Logged);
            return RateDecision.Send;
        }
        if (policy.Slip > 0 && limited % policy.Slip == 0)
        {
            _counters.Count(RateLimitCounters.Slipped);
            return RateDecision.Slip;
        }
        _counters.Count(RateLimitCounters.Dropped);
        return RateDecision.Drop;
    }

    /// <summary>
    /// Milliseconds for the buckets. The real clock is the kernel's coarse one (Environment.TickCount64,
    /// CLOCK_MONOTONIC_COARSE): buckets only count milliseconds, and it costs a fraction of a precise
    /// read, which every UDP reply pays for. Tests' fake clocks are read as they are.
    /// </summary>
    private long NowMs() => _systemClock ? Environment.TickCount64 : _time.GetTimestamp() / _ticksPerMs;

    private static ref Bucket Find(Policy policy, Table table, int set, ulong key, long now)
    {
        var buckets = table.Buckets;
        var first = set * Ways;
        var victim = first;
        var most = long.MinValue;
        for (var i = first; i < first + Ways; i++)
        {
            ref var b = ref buckets[i];
            if (b.Key == key) return ref b;
            // Replace the bucket with the most credit: a full one is no different from a fresh one, so
            // nothing is forgotten, and a limited victim's empty bucket is the last to go.
            var credit = b.Key == 0 ? long.MaxValue : Math.Min(policy.Capacity, b.Credit + Math.Clamp(now - b.Stamp, 0, 1000) * policy.Rate);
            if (credit > most) (most, victim) = (credit, i);
        }
        // A new key starts with a full bucket: one second's burst, as if it had been quiet.
        ref var fresh = ref buckets[victim];
        fresh = new Bucket { Key = key, Stamp = now, Credit = policy.Capacity };
        return ref fresh;
    }

    private static void Lock(Table table, int set)
    {
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref table.Locks[set], 1, 0) != 0) spinner.SpinOnce(-1);
    }

    private ulong Key(Policy policy, ReadOnlySpan<byte> client, AnswerClass kind, int subject)
    {
        // The prefix as one word: IPv4 in the low 32 bits, IPv6's first 64 bits; masked to the configured length.
        var prefix = client.Length == 4
            ? (BinaryPrimitives.ReadUInt32BigEndian(client) & policy.Prefix4 >> 32) | 1UL << 63
            : BinaryPrimitives.ReadUInt64BigEndian(client) & policy.Prefix6;
        var key = Mix(Mix(prefix ^ _seed0) ^ ((ulong)kind << 32 | (uint)subject) ^ _seed1);
        return key == 0 ? 1 : key;
    }

    /// <summary>The high <paramref name="bits"/> of a 64-bit word set.</summary>
    private static ulong Mask(int bits) => bits == 0 ? 0 : ulong.MaxValue << (64 - bits);

    /// <summary>SplitMix64's finalizer: every input bit reaches every output bit.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>One line when a bucket starts limiting, at most one a second: a flood must not become a log flood.</summary>
    private void LogStart(Policy policy, ReadOnlySpan<byte> client, AnswerClass kind, long now)
    {
        if (!_logCap.TryTake(now, out var held) || !_log.IsEnabled(LogLevel.Warning)) return;
        var prefix = client.Length == 4 ? BitOperations.PopCount(policy.Prefix4) : BitOperations.PopCount(policy.Prefix6);
        var bytes = client.ToArray();
        for (var i = 0; i < bytes.Length; i++) bytes[i] &= (byte)(i * 8 >= prefix ? 0 : i * 8 + 8 <= prefix ? 0xFF : 0xFF << (8 - prefix % 8));
        LimitingStarted(_log, new System.Net.IPAddress(bytes), prefix,
            kind, policy.Rate, policy.LogOnly ? " (log only: still answered)" : "", held);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RRL: replies to {Address}/{Prefix} ({Kind}) over {Rate}/s, limiting{Mode}; more sources may follow unlogged this second ({Held} held back since the last line)")]
    private static partial void LimitingStarted(ILogger log, System.Net.IPAddress address, int prefix, AnswerClass kind, long rate, string mode, long held);
}
