using Polly;
using Polly.Retry;

namespace EdgeAi.Worker.Ingest;

/// <summary>How one connection to a camera ended.</summary>
/// <param name="Frames">Frames read before it ended (0: the camera never delivered a frame).</param>
/// <param name="Streamed">Time from the first frame to the end; zero without frames.</param>
/// <param name="Reason">Why it ended, for health and logs.</param>
/// <param name="Permanent">The camera cannot work as configured (not video, refused, ffmpeg missing): retry only at the cap.</param>
public readonly record struct ConnectionAttempt(long Frames, TimeSpan Streamed, string Reason, bool Permanent);

/// <summary>A connection ended and the next one starts after <paramref name="Delay"/>.</summary>
/// <param name="Failed">Report the camera as failed rather than in backoff: a permanent fault, or
/// <see cref="IngestOptions.FailedAfterAttempts"/> connections in a row without a frame.</param>
/// <param name="Attempt">Retries since the start or since the last stable stream (0 = the first).</param>
public readonly record struct ReconnectNotice(ConnectionAttempt Ended, bool Failed, TimeSpan Delay, int Attempt);

/// <summary>
/// A camera's reconnect loop, on a Polly retry strategy: every ended connection is retried, forever, after an exponential
/// delay with Polly's decorrelated jitter (median <see cref="IngestOptions.BackoffMin"/> × 2^attempt, capped at
/// <see cref="IngestOptions.BackoffMax"/>), so cameras behind one failed switch do not come back in lock-step. A permanent
/// fault waits the cap at once. A connection that streamed for <see cref="IngestOptions.HealthyPeriod"/> or longer starts
/// the sequence again from the first, shortest delay.
/// </summary>
/// <remarks>
/// Polly numbers the retries of one <c>ExecuteAsync</c>; a stable stream ends that execution (it is not handled) and is
/// carried into a fresh one as its first outcome, which the fresh execution retries after its attempt-0 delay. Not
/// thread-safe: one camera's ingest loop owns it.
/// </remarks>
internal sealed class ReconnectBackoff
{
    private readonly IngestOptions _options;
    private readonly ResiliencePipeline<ConnectionAttempt> _pipeline;
    private readonly Action<ReconnectNotice> _onRetry;
    private int _withoutFrames;

    /// <param name="onRetry">Called after each ended connection, before its delay starts (health state, log line).</param>
    /// <param name="randomizer">Jitter source in [0, 1); Polly's thread-safe random by default (tests fix it).</param>
    public ReconnectBackoff(IngestOptions options, TimeProvider time, Action<ReconnectNotice> onRetry, Func<double>? randomizer = null)
    {
        _options = options;
        _onRetry = onRetry;
        var retry = new RetryStrategyOptions<ConnectionAttempt>
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BackoffMin,
            MaxDelay = options.BackoffMax,
            // Exceptions (cancellation) are not retried, nor a connection that ended because the camera is being stopped
            // (it is no fault and no reconnect). A stable stream ends this execution unless it is the execution's first
            // outcome (started fresh or carried in), whose attempt-0 delay already is the reset one.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && !args.Context.CancellationToken.IsCancellationRequested &&
                (args.AttemptNumber == 0 || args.Outcome.Result.Streamed < options.HealthyPeriod)),
            // Permanent faults: the cap straight away (Polly applies MaxDelay only to its own delays, not to these).
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result.Permanent ? options.BackoffMax : null),
            OnRetry = args =>
            {
                Notify(args.Outcome.Result, args.RetryDelay, args.AttemptNumber);
                return default;
            },
        };
        if (randomizer is not null) retry.Randomizer = randomizer;
        _pipeline = new ResiliencePipelineBuilder<ConnectionAttempt> { TimeProvider = time }.AddRetry(retry).Build();
    }

    /// <summary>Connects, and reconnects after each ended connection, until <paramref name="ct"/> is cancelled (then throws
    /// <see cref="OperationCanceledException"/>). <paramref name="connect"/> must not throw for camera faults.</summary>
    public async Task RunAsync(Func<CancellationToken, ValueTask<ConnectionAttempt>> connect, CancellationToken ct)
    {
        ConnectionAttempt? stable = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var carried = stable;
            stable = await _pipeline.ExecuteAsync(async token =>
            {
                if (carried is { } c)
                {
                    carried = null;
                    return c;
                }
                return await connect(token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
    }

    private void Notify(ConnectionAttempt ended, TimeSpan delay, int attempt)
    {
        _withoutFrames = ended.Frames > 0 ? 0 : _withoutFrames + 1;
        var failed = ended.Permanent || _withoutFrames >= _options.FailedAfterAttempts;
        _onRetry(new ReconnectNotice(ended, failed, delay, attempt));
    }
}
