using System.Threading.Channels;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Messaging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The bounded channel between the MQTT connections and the store. Nothing is dropped and nothing is acknowledged here:
/// a QoS 1 message's PUBACK goes out only after <see cref="MessageProcessor"/> committed it, so the broker holds every
/// message not yet stored, and at most <c>consumer.receive_maximum</c> per connection are in flight (MQTT 5 Receive
/// Maximum), which bounds this queue: its capacity is at least connections × receive maximum (checked at start-up), so
/// QoS 1 traffic never fills it. Only QoS 0 messages (unbounded by the broker) or the byte budget
/// (<c>consumer.queue_max_bytes</c>) make <see cref="Post"/> wait (counted). Single reader (<see cref="MessageProcessor"/>).
/// </summary>
internal sealed class InboundQueue
{
    private readonly Channel<InboundMessage> _channel;
    private readonly CentralMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly long _maxBytes;
    private readonly ManualResetEventSlim _room = new(true);
    private long _bytes;
    private long _unacknowledged;
    private volatile bool _completed;

    public InboundQueue(CentralOptions options, CentralMetrics metrics, TimeProvider time) : this(options, metrics, time, reportDepth: true)
    {
    }

    /// <param name="reportDepth">False for the evidence lane's queue: the depth gauge is the event queue's.</param>
    internal InboundQueue(CentralOptions options, CentralMetrics metrics, TimeProvider time, bool reportDepth)
    {
        _maxBytes = options.Consumer.QueueMaxBytes;
        _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.Consumer.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _metrics = metrics;
        _time = time;
        if (reportDepth) metrics.QueueDepth = () => _channel.Reader.Count;
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

    /// <summary>QoS 1 messages taken from the broker and not yet acknowledged (queued, or being stored).</summary>
    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    /// <summary>Called by the processor once it has sent (or given up sending) the PUBACKs of stored messages.</summary>
    public void Acknowledged(int count) => Interlocked.Add(ref _unacknowledged, -count);

    /// <summary>
    /// Called on an MQTT connection's message loop (one per connection); returns at once unless the queue is full (QoS 0
    /// floods, the byte budget). False once the queue is completed (shutdown): the message is not stored and, not
    /// acknowledged, stays with the broker.
    /// </summary>
    public bool Post(MqttMessage message)
    {
        _metrics.MessageReceived();
        if (message.Acknowledgement is not null) Interlocked.Increment(ref _unacknowledged);
        return Enqueue(new InboundMessage(message, _time.GetUtcNow(), Guid.CreateVersion7()));
    }

    private bool Enqueue(InboundMessage item)
    {
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

    /// <summary>No more messages: the reader drains what is queued, then stops.</summary>
    public void Complete()
    {
        _completed = true;
        _room.Set();
        _channel.Writer.TryComplete();
    }
}
