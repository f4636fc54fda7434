using System.Threading.Channels;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Interop.Mqtt;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The bounded channel between the MQTT network thread and the store. Nothing is ever dropped: when it is full,
/// (<c>consumer.queue_capacity</c> messages or <c>consumer.queue_max_bytes</c> of payload), <see cref="Post"/> makes the
/// network thread wait (counted), which stops reading from the socket and lets the
/// broker hold the backlog — back-pressure instead of loss. Single reader (<see cref="MessageProcessor"/>).
/// </summary>
internal sealed class InboundQueue
{
    private readonly Channel<InboundMessage> _channel;
    private readonly CentralMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly InboundSpool _spool;
    private readonly long _maxBytes;
    private readonly ManualResetEventSlim _room = new(true);
    private long _bytes;
    private volatile bool _completed;

    public InboundQueue(CentralOptions options, InboundSpool spool, CentralMetrics metrics, TimeProvider time)
    {
        _spool = spool;
        _maxBytes = options.Consumer.QueueMaxBytes;
        _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.Consumer.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _metrics = metrics;
        _time = time;
        metrics.QueueDepth = () => _channel.Reader.Count;
    }

    public ChannelReader<InboundMessage> Reader => _channel.Reader;

    /// <summary>Payload bytes queued now.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Takes the next message, if any, and returns its bytes to the budget. Single reader.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out InboundMessage item)
    {
        if (!_channel.Reader.TryRead(out item)) return false;
        if (Interlocked.Add(ref _bytes, -item.Message.Payload.Length) <= _maxBytes) _room.Set();
        return true;
    }

    public int Count => _channel.Reader.Count;

    /// <summary>Called on the network thread; blocks only while the queue is full. False once the queue is completed.</summary>
    public bool Post(MqttMessage message)
    {
        _metrics.MessageReceived();
        var item = _spool.Append(message, _time.GetUtcNow());
        if (Volatile.Read(ref _bytes) > _maxBytes)
        {
            // The byte budget: a few large messages must not fill memory before the count limit is reached.
            _metrics.QueueFull();
            _room.Reset();
            while (Volatile.Read(ref _bytes) > _maxBytes && !_completed) _room.Wait(50);
        }
        Interlocked.Add(ref _bytes, item.Message.Payload.Length);
        if (_channel.Writer.TryWrite(item)) return true;
        _metrics.QueueFull();
        try
        {
            _channel.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Queues a message recovered from the spool (at start, before the broker connection opens).</summary>
    public ValueTask PostRecoveredAsync(InboundMessage item, CancellationToken ct)
    {
        Interlocked.Add(ref _bytes, item.Message.Payload.Length);
        return _channel.Writer.WriteAsync(item, ct);
    }

    /// <summary>No more messages: the reader drains what is queued, then stops.</summary>
    public void Complete()
    {
        _completed = true;
        _room.Set();
        _channel.Writer.TryComplete();
    }
}
