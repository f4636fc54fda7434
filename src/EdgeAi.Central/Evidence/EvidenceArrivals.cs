namespace EdgeAi.Central.Evidence;

/// <summary>
/// An in-process pulse: the message processor calls <see cref="Signal"/> when it stored an evidence blob or a fetch reply,
/// and a waiting fetch re-checks the store at once instead of at its next poll. (Another Central instance may take the
/// gateway's answer from the shared subscription; the waiter's poll of the shared database covers that case.)
/// </summary>
internal sealed class EvidenceArrivals
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next signal comes; take it before checking the store, so a signal between the two is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
