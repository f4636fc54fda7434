using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using Polly;
using Polly.Retry;

namespace EdgeAi.Central.Cases;

/// <summary>
/// The outbox's retry policy as one Polly pipeline, shared by every item: a transient failure is tried again after
/// an exponential delay with jitter (<see cref="RetrySettings.InitialDelay"/> doubling up to
/// <see cref="RetrySettings.MaxDelay"/>); a permanent failure, the <see cref="RetrySettings.MaxAttempts"/>-th attempt
/// (attempts made before a restart count, from the item's row) or an item older than <see cref="RetrySettings.MaxAge"/>
/// ends the retries and the caller parks the item dead. Delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The item travels in the <see cref="ResilienceContext"/> (<see cref="Item"/>); <c>onRetry</c> runs before each delay and
/// must record the failed attempt durably (the dispatcher writes the attempt, the error and the next attempt's time, and
/// keeps its lease until then, so that a crash during the delay resumes at the same time on any instance).
/// </remarks>
internal static class OutboxRetry
{
    /// <summary>The outbox item being delivered; its <see cref="OutboxRow.Attempts"/> counts the failed attempts recorded so far.</summary>
    public static readonly ResiliencePropertyKey<OutboxRow> Item = new("edgeai.outbox-item");

    public static ResiliencePipeline<PlatformResult> Create(RetrySettings retry, TimeProvider time, Func<OutboxRow, PlatformResult, TimeSpan, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder<PlatformResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<PlatformResult>
            {
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.InitialDelay,
                MaxDelay = retry.MaxDelay,
                MaxRetryAttempts = int.MaxValue,   // bounded by ShouldHandle: attempts and age are the item's, not this process's
                ShouldHandle = args =>
                {
                    if (args.Outcome.Result is not { Ok: false, Retryable: true }) return PredicateResult.False();
                    var item = args.Context.Properties.GetValue(Item, null!);
                    var attempts = item.Attempts + 1;
                    var age = time.GetUtcNow() - UnixMs.ToTime(item.CreatedAt);
                    return ValueTask.FromResult(attempts < retry.MaxAttempts && age < retry.MaxAge);
                },
                OnRetry = args => onRetry(args.Context.Properties.GetValue(Item, null!), args.Outcome.Result!, args.RetryDelay),
            })
            .Build();
}
