using Polly;
using Polly.Retry;
using Polly.Timeout;
using GeoDns.Sidecar.Rotation;

namespace GeoDns.Sidecar;

/// <summary>
/// Retries with exponential backoff and a time limit per attempt, for hooks and admin calls:
/// cloud APIs and nameservers fail now and then, and a rotation should not stop for a blip.
/// </summary>
public static class RetryPipeline
{
    /// <summary>A pipeline that retries results for which <paramref name="retryable"/> holds, and transport failures.</summary>
    public static ResiliencePipeline<T> Build<T>(RotationPolicy policy, TimeProvider time, TimeSpan attemptTimeout, Func<T, bool> retryable)
    {
        var builder = new ResiliencePipelineBuilder<T> { TimeProvider = time };
        if (policy.Retries > 0)
            builder.AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? IsTransient(e) : retryable(args.Outcome.Result!)),
                MaxRetryAttempts = policy.Retries,
                Delay = policy.RetryDelay,
                MaxDelay = TimeSpan.FromMinutes(5),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        if (attemptTimeout > TimeSpan.Zero && attemptTimeout != Timeout.InfiniteTimeSpan) builder.AddTimeout(attemptTimeout);
        return builder.Build();
    }

    /// <summary>Runs <paramref name="action"/>; a transport failure that outlasts the retries becomes <paramref name="failed"/>(reason).</summary>
    public static async Task<T> RunAsync<T>(this ResiliencePipeline<T> pipeline, Func<CancellationToken, Task<T>> action, Func<string, T> failed, CancellationToken cancel)
    {
        try
        {
            return await pipeline.ExecuteAsync(async token => await action(token), cancel);
        }
        catch (Exception e) when (IsTransient(e))
        {
            return failed(e is TimeoutRejectedException ? "timed out" : e.Message);
        }
    }

    private static bool IsTransient(Exception e) =>
        e is HttpRequestException or TimeoutRejectedException or IOException or System.Text.Json.JsonException;
}
