using System.Threading.Channels;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// "Some camera has a frame": an async auto-reset event the inference stage waits on instead of polling
/// every camera's channel. Setting it while set is a no-op.
/// </summary>
public sealed class FrameSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Set() => _signal.Writer.TryWrite(true);

    /// <summary>Waits until set (or <paramref name="timeout"/>); returns false on timeout.</summary>
    public async ValueTask<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_signal.Reader.TryRead(out _)) return true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
