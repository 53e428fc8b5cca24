using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace GeoDns.RateLimiting;

/// <summary>
/// The RRL bucket table: a fixed array of token buckets, keyed by a keyed hash of (client prefix,
/// answer class, subject), where the subject is what the reply is about (the prepared answer, the
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

    private readonly Bucket[] _buckets;
    private readonly int[] _locks;
    private readonly int _setMask;
    private readonly long _rate, _capacity;
    private readonly int _slip;
    private readonly bool _logOnly;
    private readonly ulong _prefix4, _prefix6;
    private readonly AddressPrefix[] _exempt;
    private readonly ulong _seed0, _seed1;
    private readonly TimeProvider _time;
    private readonly long _ticksPerMs;
    private readonly ILogger _log;
    private readonly RateLimitCounters _counters = new();
    private long _lastLog = long.MinValue;

    public RateLimiter(RateLimitOptions options, TimeProvider time, ILogger log)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));
        var sets = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(Ways, options.TableSize)) / Ways;
        _buckets = new Bucket[sets * Ways];
        _locks = new int[sets];
        _setMask = sets - 1;
        _rate = options.ResponsesPerSecond;
        _capacity = _rate * ReplyCost;
        _slip = options.Slip;
        _logOnly = options.LogOnly;
        _prefix4 = Mask(options.Ipv4PrefixLength);
        _prefix6 = Mask(options.Ipv6PrefixLength);
        _exempt = options.Exempt.Select(e => AddressPrefix.TryParse(e, out _)!).ToArray();
        Span<byte> seed = stackalloc byte[16];
        RandomNumberGenerator.Fill(seed);
        _seed0 = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        _seed1 = BinaryPrimitives.ReadUInt64LittleEndian(seed[8..]);
        _time = time;
        _ticksPerMs = Math.Max(1, time.TimestampFrequency / 1000);
        _log = log;
    }

    /// <summary>Buckets in the table: fixed at construction.</summary>
    public int Capacity => _buckets.Length;

    public RateLimitCounters Counters => _counters;

    /// <summary>Decides the fate of one UDP reply to <paramref name="client"/> (4 or 16 address bytes).</summary>
    /// <param name="subject">What the reply is about, as a hash: equal subjects share a bucket.</param>
    public RateDecision Decide(ReadOnlySpan<byte> client, AnswerClass kind, int subject)
    {
        if (client.Length is not (4 or 16)) return RateDecision.Send;
        foreach (var exempt in _exempt)
            if (exempt.Contains(client)) return RateDecision.Send;
        var key = Key(client, kind, subject);
        var now = _time.GetTimestamp() / _ticksPerMs;
        var set = (int)(key >> 40) & _setMask;
        int limited;
        Lock(set);
        try
        {
            ref var bucket = ref Find(set, key, now);
            var elapsed = Math.Clamp(now - bucket.Stamp, 0, 1000);
            bucket.Credit = Math.Min(_capacity, bucket.Credit + elapsed * _rate);
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
            Volatile.Write(ref _locks[set], 0);
        }
        if (limited == 1) LogStart(client, kind, now);
        if (_logOnly)
        {
            _counters.Count(RateLimitCounters.Logged);
            return RateDecision.Send;
        }
        if (_slip > 0 && limited % _slip == 0)
        {
            _counters.Count(RateLimitCounters.Slipped);
            return RateDecision.Slip;
        }
        _counters.Count(RateLimitCounters.Dropped);
        return RateDecision.Drop;
    }

    private ref Bucket Find(int set, ulong key, long now)
    {
        var first = set * Ways;
        var victim = first;
        var most = long.MinValue;
        for (var i = first; i < first + Ways; i++)
        {
            ref var b = ref _buckets[i];
            if (b.Key == key) return ref b;
            // Replace the bucket with the most credit: a full one is no different from a fresh one, so
            // nothing is forgotten, and a limited victim's empty bucket is the last to go.
            var credit = b.Key == 0 ? long.MaxValue : Math.Min(_capacity, b.Credit + Math.Clamp(now - b.Stamp, 0, 1000) * _rate);
            if (credit > most) (most, victim) = (credit, i);
        }
        // A new key starts with a full bucket: one second's burst, as if it had been quiet.
        ref var fresh = ref _buckets[victim];
        fresh = new Bucket { Key = key, Stamp = now, Credit = _capacity };
        return ref fresh;
    }

    private void Lock(int set)
    {
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref _locks[set], 1, 0) != 0) spinner.SpinOnce(-1);
    }

    private ulong Key(ReadOnlySpan<byte> client, AnswerClass kind, int subject)
    {
        // The prefix as one word: IPv4 in the low 32 bits, IPv6's first 64 bits; masked to the configured length.
        var prefix = client.Length == 4
            ? (BinaryPrimitives.ReadUInt32BigEndian(client) & _prefix4 >> 32) | 1UL << 63
            : BinaryPrimitives.ReadUInt64BigEndian(client) & _prefix6;
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
    private void LogStart(ReadOnlySpan<byte> client, AnswerClass kind, long now)
    {
        var last = Volatile.Read(ref _lastLog);
        if (now - last < 1000 || Interlocked.CompareExchange(ref _lastLog, now, last) != last) return;
        if (!_log.IsEnabled(LogLevel.Warning)) return;
        var prefix = client.Length == 4 ? BitOperations.PopCount(_prefix4) : BitOperations.PopCount(_prefix6);
        var bytes = client.ToArray();
        for (var i = 0; i < bytes.Length; i++) bytes[i] &= (byte)(i * 8 >= prefix ? 0 : i * 8 + 8 <= prefix ? 0xFF : 0xFF << (8 - prefix % 8));
        LimitingStarted(_log, new System.Net.IPAddress(bytes), prefix,
            kind, _rate, _logOnly ? " (log only: still answered)" : "");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RRL: replies to {Address}/{Prefix} ({Kind}) over {Rate}/s, limiting{Mode}; more sources may follow unlogged this second")]
    private static partial void LimitingStarted(ILogger log, System.Net.IPAddress address, int prefix, AnswerClass kind, long rate, string mode);
}
