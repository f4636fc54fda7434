using System.Threading.Channels;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// One camera's frame queue between ingest and inference: a bounded channel. Live cameras use
/// <see cref="BoundedChannelFullMode.DropOldest"/> — the latest frame wins, the dropped frame's pooled buffer
/// is returned and the drop counted; file sources (eval) use Wait, so nothing is dropped. Every write also
/// sets the shared <see cref="FrameSignal"/> so the inference stage wakes.
/// </summary>
public sealed class FrameQueue
{
    private readonly Channel<Frame> _channel;

    public FrameQueue(string cameraId, CameraHealth health, FrameSignal signal, int capacity = 2, bool dropOldest = true)
    {
        CameraId = cameraId;
        Health = health;
        _channel = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = dropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
            },
            dropped =>
            {
                dropped.Release();
                health.FrameDropped();
            });
        Writer = new SignallingWriter(_channel.Writer, signal);
    }

    public string CameraId { get; }

    public CameraHealth Health { get; }

    /// <summary>For the ingest stage.</summary>
    public ChannelWriter<Frame> Writer { get; }

    /// <summary>For the inference stage.</summary>
    public ChannelReader<Frame> Reader => _channel.Reader;

    private sealed class SignallingWriter(ChannelWriter<Frame> inner, FrameSignal signal) : ChannelWriter<Frame>
    {
        public override bool TryWrite(Frame item)
        {
            if (!inner.TryWrite(item)) return false;
            signal.Set();
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken ct = default) => inner.WaitToWriteAsync(ct);

        public override bool TryComplete(Exception? error = null)
        {
            var done = inner.TryComplete(error);
            signal.Set();
            return done;
        }
    }
}
