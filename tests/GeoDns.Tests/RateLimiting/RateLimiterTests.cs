using System.Net;
using GeoDns.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.RateLimiting;

public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private RateLimiter Limiter(Action<RateLimitOptions>? configure = null)
    {
        var options = new RateLimitOptions { ResponsesPerSecond = 10, Slip = 2 };
        configure?.Invoke(options);
        return new RateLimiter(options, _time, NullLogger.Instance);
    }

    private static byte[] Address(string text) => IPAddress.Parse(text).GetAddressBytes();

    private static List<RateDecision> Ask(RateLimiter limiter, string client, int times, AnswerClass kind = AnswerClass.Positive, int subject = 7) =>
        Enumerable.Range(0, times).Select(_ => limiter.Decide(Address(client), kind, subject)).ToList();

    [Fact]
    public void Decide_BurstOfTheRate_SentThenLimited()
    {
        var limiter = Limiter();

        Assert.All(Ask(limiter, "192.0.2.1", 10), d => Assert.Equal(RateDecision.Send, d));
        Assert.NotEqual(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 7));
    }

    [Fact]
    public void Decide_TimePasses_CreditRefillsAtTheRate()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 15);

        _time.Advance(TimeSpan.FromMilliseconds(300)); // 10/s × 0.3 s = 3 replies

        Assert.Equal([RateDecision.Send, RateDecision.Send, RateDecision.Send], Ask(limiter, "192.0.2.1", 3));
        Assert.NotEqual(RateDecision.Send, Ask(limiter, "192.0.2.1", 1)[0]);
    }

    [Fact]
    public void Decide_LongQuiet_BurstCappedAtOneSecond()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 10);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(10, Ask(limiter, "192.0.2.1", 20).Count(d => d == RateDecision.Send));
    }

    [Fact]
    public void Decide_SlipTwo_EverySecondLimitedReplySlips()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 10);

        Assert.Equal([RateDecision.Drop, RateDecision.Slip, RateDecision.Drop, RateDecision.Slip], Ask(limiter, "192.0.2.1", 4));
        Assert.Equal(2, limiter.Counters.Total(RateLimitCounters.Dropped));
        Assert.Equal(2, limiter.Counters.Total(RateLimitCounters.Slipped));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 6)]
    [InlineData(3, 2)]
    public void Decide_SlipSetting_SlipsEveryNth(int slip, int slipped)
    {
        var limiter = Limiter(o => o.Slip = slip);
        Ask(limiter, "192.0.2.1", 10);

        Assert.Equal(slipped, Ask(limiter, "192.0.2.1", 6).Count(d => d == RateDecision.Slip));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.254", true)]
    [InlineData("192.0.2.1", "192.0.3.1", false)]
    [InlineData("2001:db8:0:1::1", "2001:db8:0:ff::2", true)]  // same /56
    [InlineData("2001:db8:0:1::1", "2001:db8:0:100::1", false)]
    public void Decide_ClientsOfOnePrefix_ShareABucket(string first, string second, bool shared)
    {
        var limiter = Limiter();
        Ask(limiter, first, 10);

        Assert.Equal(shared, limiter.Decide(Address(second), AnswerClass.Positive, 7) != RateDecision.Send);
    }

    [Fact]
    public void Decide_PrefixLengthsConfigured_GroupAccordingly()
    {
        var limiter = Limiter(o => (o.Ipv4PrefixLength, o.Ipv6PrefixLength) = (32, 64));
        Ask(limiter, "192.0.2.1", 10);
        Ask(limiter, "2001:db8::1", 10);

        Assert.Equal(RateDecision.Send, limiter.Decide(Address("192.0.2.2"), AnswerClass.Positive, 7));
        Assert.Equal(RateDecision.Send, limiter.Decide(Address("2001:db8:0:1::1"), AnswerClass.Positive, 7));
        Assert.NotEqual(RateDecision.Send, limiter.Decide(Address("2001:db8::ffff"), AnswerClass.Positive, 7));
    }

    [Fact]
    public void Decide_OtherClassOrSubject_HasItsOwnBucket()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 10, AnswerClass.Positive, subject: 1);

        Assert.Equal(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Nxdomain, 1));
        Assert.Equal(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 2));
        Assert.NotEqual(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 1));
    }

    [Fact]
    public void Decide_ExemptPrefix_NeverLimited()
    {
        var limiter = Limiter(o => o.Exempt = ["192.0.2.0/25", "2001:db8::/32"]);

        Assert.All(Ask(limiter, "192.0.2.100", 50), d => Assert.Equal(RateDecision.Send, d));
        Assert.All(Ask(limiter, "2001:db8:1::1", 50), d => Assert.Equal(RateDecision.Send, d));
        Assert.Contains(RateDecision.Drop, Ask(limiter, "192.0.2.200", 50));
    }

    [Fact]
    public void Decide_LogOnly_SendsEverythingButCounts()
    {
        var limiter = Limiter(o => o.LogOnly = true);

        Assert.All(Ask(limiter, "192.0.2.1", 25), d => Assert.Equal(RateDecision.Send, d));
        Assert.Equal(15, limiter.Counters.Total(RateLimitCounters.Logged));
        Assert.Equal(0, limiter.Counters.Total(RateLimitCounters.Dropped));
    }

    [Fact]
    public void Decide_FloodFromAWhole8_TableStaysItsSizeAndStillLimitsTheVictim()
    {
        // Twice, on a fresh limiter each time: the first run also brings every path (eviction included) through the
        // runtime's tiered JIT, which allocates on the calling thread now and then; the second is measured.
        for (var run = 1; run <= 2; run++)
        {
            var limiter = Limiter(o => o.TableSize = 1024);
            var capacity = limiter.Capacity;
            var source = new byte[4];
            var victim = Address("192.0.2.1");
            Ask(limiter, "192.0.2.1", 10);
            var sent = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200_000; i++)
            {
                // Every /24 of 10.0.0.0/8, each asking three times, interleaved with a victim asking all the time.
                (source[0], source[1], source[2], source[3]) = (10, (byte)(i >> 8), (byte)i, 1);
                limiter.Decide(source, AnswerClass.Positive, 7);
                if (i % 10 == 0 && limiter.Decide(victim, AnswerClass.Positive, 7) == RateDecision.Send) sent++;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(capacity, limiter.Capacity);
            Assert.Equal(1024, capacity);
            if (run == 2) Assert.Equal(0, allocated);
            Assert.Equal(0, sent); // the flood never pushed the victim's exhausted bucket out
        }
    }

    [Fact]
    public void Decide_AllocatesNothing()
    {
        var limiter = Limiter();
        var client = Address("192.0.2.1");
        for (var i = 0; i < 20_000; i++) limiter.Decide(client, AnswerClass.Positive, i); // warm up: JIT tiers

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) limiter.Decide(client, AnswerClass.Positive, i % 3);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Reconfigure_RateRaised_LimitedClientRefillsAtTheNewRate()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 12);

        limiter.Reconfigure(new RateLimitOptions { ResponsesPerSecond = 100, Slip = 2 });
        _time.Advance(TimeSpan.FromMilliseconds(100)); // 100/s × 0.1 s = 10 replies (at the old rate: 1)

        Assert.Equal(10, Ask(limiter, "192.0.2.1", 15).Count(d => d == RateDecision.Send));
        Assert.Equal(100, limiter.Options.ResponsesPerSecond);
    }

    [Fact]
    public void Reconfigure_SameTableSize_BucketsAndCountersKept()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 12);
        var dropped = limiter.Counters.Total(RateLimitCounters.Dropped);

        limiter.Reconfigure(new RateLimitOptions { ResponsesPerSecond = 10, Slip = 0 });

        Assert.Equal(RateDecision.Drop, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 7)); // still limited: no fresh burst
        Assert.Equal(dropped + 1, limiter.Counters.Total(RateLimitCounters.Dropped));
    }

    [Fact]
    public void Reconfigure_TableSizeChanged_NewTable()
    {
        var limiter = Limiter(o => o.TableSize = 1024);
        Ask(limiter, "192.0.2.1", 12);

        limiter.Reconfigure(new RateLimitOptions { ResponsesPerSecond = 10, TableSize = 4096 });

        Assert.Equal(4096, limiter.Capacity);
        Assert.Equal(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 7));
    }

    [Fact]
    public void Reconfigure_LogOnlyAndExempt_TakeEffect()
    {
        var limiter = Limiter();
        Ask(limiter, "192.0.2.1", 12);

        limiter.Reconfigure(new RateLimitOptions { ResponsesPerSecond = 10, LogOnly = true });
        Assert.Equal(RateDecision.Send, limiter.Decide(Address("192.0.2.1"), AnswerClass.Positive, 7));
        limiter.Reconfigure(new RateLimitOptions { ResponsesPerSecond = 10, Exempt = ["192.0.2.0/24"] });
        Assert.All(Ask(limiter, "192.0.2.1", 20), d => Assert.Equal(RateDecision.Send, d));
    }

    [Fact]
    public void Reconfigure_Invalid_RejectedNamingTheKey_OldSettingsKept()
    {
        var limiter = Limiter();

        var error = Assert.Throws<ArgumentException>(() => limiter.Reconfigure(new RateLimitOptions { Slip = -1 }));

        Assert.Contains("rrl.slip", error.Message);
        Assert.Equal(2, limiter.Options.Slip);
        Assert.Equal(10, limiter.Options.ResponsesPerSecond);
    }

    [Theory]
    [InlineData("ResponsesPerSecond", 0, "rrl.responsesPerSecond")]
    [InlineData("Slip", -1, "rrl.slip")]
    [InlineData("Ipv4PrefixLength", 33, "rrl.ipv4PrefixLength")]
    [InlineData("Ipv6PrefixLength", 72, "rrl.ipv6PrefixLength")]
    [InlineData("TableSize", 1, "rrl.tableSize")]
    public void Validate_OutOfRange_NamesTheKey(string property, int value, string key)
    {
        var options = new RateLimitOptions();
        typeof(RateLimitOptions).GetProperty(property)!.SetValue(options, value);

        Assert.StartsWith(key + ":", Assert.Single(options.Validate()));
    }

    [Fact]
    public void Validate_BadExemptPrefix_NamesTheEntry()
    {
        var options = new RateLimitOptions { Exempt = ["192.0.2.0/24", "192.0.2.0/40"] };

        Assert.StartsWith("rrl.exempt[1]:", Assert.Single(options.Validate()));
    }
}
