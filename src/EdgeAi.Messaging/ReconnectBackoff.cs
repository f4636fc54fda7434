using Polly;
using Polly.Retry;

namespace EdgeAi.Messaging;

/// <summary>
/// The reconnect policy of <see cref="MqttClient"/> as a Polly retry pipeline: every failed connection attempt is retried,
/// forever, after an exponential delay with jitter starting at the first delay and capped at the maximum; only the
/// stop token ends it. One pipeline execution covers the attempts until one connects, so a connection that reached CONNACK
/// starts the next outage from the first delay again.
/// </summary>
internal static class ReconnectBackoff
{
    /// <param name="jitter">Polly's decorrelated jitter; false gives exact doubling (tests).</param>
    public static ResiliencePipeline Create(TimeSpan first, TimeSpan max, TimeProvider time, Func<OnRetryArguments<object>, ValueTask>? onRetry, bool jitter = true)
    {
        if (first <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(first), first, "the first reconnect delay must be positive");
        if (max < first) throw new ArgumentOutOfRangeException(nameof(max), max, $"the reconnect delay cap must be at least the first delay ({first})");
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = jitter,
                Delay = first,
                MaxDelay = max,
                OnRetry = onRetry,
            })
            .Build();
    }

    /// <summary>±20 % around <paramref name="delay"/>, so that many gateways cut off together do not reconnect in step.</summary>
    public static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + Random.Shared.NextDouble() * 0.4);
}
