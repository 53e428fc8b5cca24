using System.Net;
using GeoDns.Health;
using Microsoft.Extensions.Time.Testing;

namespace GeoDns.Tests.Health;

public sealed class HealthTrackerTests
{
    private const string Refused = "connection refused";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DateTimeOffset _since;

    public HealthTrackerTests() => _since = _time.GetUtcNow();

    // from, failures, successes | probe ok | failuresToDown, successesToUp | to, failures, successes | reason (null: no transition)
    [Theory]
    [InlineData(HealthState.Unknown, 0, 0, true, 2, 2, HealthState.Up, 0, 1, "probe succeeded")]
    [InlineData(HealthState.Unknown, 0, 0, false, 2, 2, HealthState.Unknown, 1, 0, null)] // the monitor confirms it at once
    [InlineData(HealthState.Unknown, 1, 0, false, 2, 2, HealthState.Down, 2, 0, "2 consecutive failures: " + Refused)]
    [InlineData(HealthState.Unknown, 1, 0, true, 2, 2, HealthState.Up, 0, 1, "probe succeeded")]
    [InlineData(HealthState.Unknown, 0, 0, false, 1, 2, HealthState.Down, 1, 0, Refused)]
    [InlineData(HealthState.Unknown, 0, 0, true, 0, 0, HealthState.Up, 0, 1, "probe succeeded")]
    [InlineData(HealthState.Up, 0, 3, true, 2, 2, HealthState.Up, 0, 4, null)]
    [InlineData(HealthState.Up, 0, 3, false, 2, 2, HealthState.Suspect, 1, 0, Refused)]
    [InlineData(HealthState.Up, 0, 1, false, 3, 2, HealthState.Suspect, 1, 0, Refused)]
    [InlineData(HealthState.Up, 0, 3, false, 1, 2, HealthState.Down, 1, 0, Refused)]
    [InlineData(HealthState.Up, 0, 3, false, 0, 2, HealthState.Down, 1, 0, Refused)]
    [InlineData(HealthState.Suspect, 1, 0, false, 2, 2, HealthState.Down, 2, 0, "2 consecutive failures: " + Refused)]
    [InlineData(HealthState.Suspect, 1, 0, false, 3, 2, HealthState.Suspect, 2, 0, null)]
    [InlineData(HealthState.Suspect, 2, 0, false, 3, 2, HealthState.Down, 3, 0, "3 consecutive failures: " + Refused)]
    [InlineData(HealthState.Suspect, 1, 0, true, 2, 2, HealthState.Up, 0, 1, "probe succeeded")]
    [InlineData(HealthState.Suspect, 2, 0, true, 3, 3, HealthState.Up, 0, 1, "probe succeeded")]
    [InlineData(HealthState.Down, 1, 0, false, 2, 2, HealthState.Down, 2, 0, null)]
    [InlineData(HealthState.Down, 0, 1, false, 2, 2, HealthState.Down, 1, 0, null)]
    [InlineData(HealthState.Down, 5, 0, true, 2, 2, HealthState.Down, 0, 1, null)]
    [InlineData(HealthState.Down, 0, 1, true, 2, 2, HealthState.Up, 0, 2, "2 consecutive successes")]
    [InlineData(HealthState.Down, 0, 1, true, 2, 3, HealthState.Down, 0, 2, null)]
    [InlineData(HealthState.Down, 0, 2, true, 2, 3, HealthState.Up, 0, 3, "3 consecutive successes")]
    [InlineData(HealthState.Down, 3, 0, true, 2, 1, HealthState.Up, 0, 1, "probe succeeded")]
    public void Apply_FollowsTheStateTable(HealthState from, int failures, int successes, bool ok, int failuresToDown, int successesToUp,
        HealthState to, int expectedFailures, int expectedSuccesses, string? reason)
    {
        var target = Target(new ProbeSettings { FailuresToDown = failuresToDown, SuccessesToUp = successesToUp });
        var step = Apply(target, new TargetStatus(from, _since, null, failures, successes), ok ? Success() : Failure(Refused));

        Assert.Equal((to, expectedFailures, expectedSuccesses), (step.Status.State, step.Status.ConsecutiveFailures, step.Status.ConsecutiveSuccesses));
        Assert.Equal(reason, step.Transition?.Reason);
        Assert.Equal(from == to ? _since : _time.GetUtcNow(), step.Status.Since);
    }

    [Fact]
    public void Up_FirstFailure_BecomesSuspect()
    {
        var target = Target(new ProbeSettings { Port = 443 });
        var failure = Failure(Refused, latency: TimeSpan.FromMilliseconds(3));

        var step = Apply(target, new TargetStatus(HealthState.Up, _since, Success(), 0, 7), failure);

        Assert.Equal(new TargetStatus(HealthState.Suspect, failure.At, failure, 1, 0), step.Status);
        Assert.Equal(new HealthTransition("tcp://192.0.2.1:443", HealthState.Up, HealthState.Suspect, Refused, TimeSpan.FromMilliseconds(3), failure.At), step.Transition);
    }

    [Fact]
    public void Suspect_SecondTimeout_BecomesDown_ReasonCountsFailures()
    {
        var step = Apply(Target(new ProbeSettings()), new TargetStatus(HealthState.Suspect, _since, null, 1, 0), Failure("timeout after 2000 ms"));

        Assert.Equal(HealthState.Down, step.Status.State);
        Assert.Equal("2 consecutive failures: timeout after 2000 ms", step.Transition?.Reason);
    }

    [Fact]
    public void Up_Success_StaysUp_KeepsSinceAndRecordsTheProbe()
    {
        var success = Success();

        var step = Apply(Target(new ProbeSettings()), new TargetStatus(HealthState.Up, _since, null, 0, 1), success);

        Assert.Null(step.Transition);
        Assert.Equal(new TargetStatus(HealthState.Up, _since, success, 0, 2) { Latency = new LatencyEstimate().Next(success.Latency) }, step.Status);
    }

    [Fact]
    public void Down_FirstSuccess_StaysDown_UntilSuccessesToUp()
    {
        var target = Target(new ProbeSettings { SuccessesToUp = 2 });
        var once = Apply(target, new TargetStatus(HealthState.Down, _since, null, 4, 0), Success());
        var twice = Apply(target, once.Status, Success());

        Assert.Equal((HealthState.Down, _since, (HealthTransition?)null), (once.Status.State, once.Status.Since, once.Transition));
        Assert.Equal((HealthState.Up, HealthState.Down, "2 consecutive successes"), (twice.Status.State, twice.Transition?.From, twice.Transition?.Reason));
    }

    [Fact]
    public void FailureWithoutError_ReasonSaysProbeFailed()
    {
        var step = Apply(Target(new ProbeSettings { FailuresToDown = 1 }), TargetStatus.Initial(_since), Failure(null));

        Assert.Equal("probe failed", step.Transition?.Reason);
    }

    [Theory]
    [InlineData(HealthState.Suspect, 1, 2, HealthState.Suspect, 1)]
    [InlineData(HealthState.Suspect, 2, 3, HealthState.Suspect, 2)]
    [InlineData(HealthState.Up, 0, 1, HealthState.Suspect, 1)]
    [InlineData(HealthState.Down, 3, 2, HealthState.Down, 4)]
    [InlineData(HealthState.Unknown, 1, 2, HealthState.Down, 2)] // never answered: nothing to hold
    public void Hold_KeepsAFailingAnsweredTargetSuspect_OneFailureShortOfDown(HealthState from, int failures, int failuresToDown, HealthState to, int expectedFailures)
    {
        var target = Target(new ProbeSettings { FailuresToDown = failuresToDown });

        var step = HealthTracker.Apply(target, new TargetStatus(from, _since, null, failures, 0), Failure("timeout after 500 ms"), hold: true);

        Assert.Equal((to, expectedFailures), (step.Status.State, step.Status.ConsecutiveFailures));
    }

    [Fact]
    public void Hold_OnAnUpTarget_ReasonSaysHeld()
    {
        var step = HealthTracker.Apply(Target(new ProbeSettings()), new TargetStatus(HealthState.Up, _since, null, 0, 3), Failure("timeout after 500 ms"), hold: true);

        Assert.Equal("timeout after 500 ms (held: no probe gets a reply)", step.Transition?.Reason);
    }

    [Fact]
    public void Latency_LearnsFromSuccesses_NotFromFailures()
    {
        var target = Target(new ProbeSettings());
        var up = Apply(target, TargetStatus.Initial(_since), Success());
        var failed = Apply(target, up.Status, Failure("timeout after 2000 ms", latency: TimeSpan.FromSeconds(2)));
        var back = Apply(target, failed.Status, Success());

        Assert.Equal(new LatencyEstimate(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(0.5), 1), up.Status.Latency);
        Assert.Equal(up.Status.Latency, failed.Status.Latency);
        Assert.Equal(2, back.Status.Latency.Samples);
    }

    private HealthStep Apply(ProbeTarget target, TargetStatus status, ProbeResult result) => HealthTracker.Apply(target, status, result);

    private static ProbeTarget Target(ProbeSettings settings) => new(IPAddress.Parse("192.0.2.1"), settings);

    private ProbeResult Success()
    {
        _time.Advance(TimeSpan.FromSeconds(5));
        return new ProbeResult(true, TimeSpan.FromMilliseconds(1), _time.GetUtcNow());
    }

    private ProbeResult Failure(string? error, TimeSpan? latency = null)
    {
        _time.Advance(TimeSpan.FromSeconds(5));
        return new ProbeResult(false, latency ?? TimeSpan.FromMilliseconds(2), _time.GetUtcNow(), error);
    }
}
