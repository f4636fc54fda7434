using System.Threading.Channels;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Messaging;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The bounded channel between the MQTT network thread and the store. Nothing is ever dropped: when it is full,
/// (<c>consumer.queue_capacity</c> messages or <c>consumer.queue_max_bytes</c> of payload), <see cref="Post"/> makes the
/// network thread wait (counted), which stops reading from the socket and lets the
/// broker hold the backlog — back-pressure instead of loss. Single reader (<see cref="MessageProcessor"/>).
/// </summary>
internal sealed partial class InboundQueue
{
    private readonly Channel<InboundMessage> _channel;
    private readonly CentralMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly InboundSpool _spool;
    private readonly long _maxBytes;
    private readonly ManualResetEventSlim _room = new(true);
    private readonly Lock _postLock = new();
    private long _bytes;
    private volatile bool _completed;

    private readonly ILogger<InboundQueue> _logger;

    public InboundQueue(CentralOptions options, InboundSpool spool, CentralMetrics metrics, TimeProvider time, ILogger<InboundQueue> logger)
    {
        _logger = logger;
        _spool = spool;
        _maxBytes = options.Consumer.QueueMaxBytes;
        _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.Consumer.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
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

    /// <summary>
    /// Called on a network thread (one per consumer connection); blocks while the queue is full and, with
    /// <c>spool_sync=fsync</c>, until the message's journal record is on disk. False once the queue is completed.
    /// </summary>
    public bool Post(MqttMessage message)
    {
        _metrics.MessageReceived();
        InboundMessage item;
        bool posted;
        // Journal order = queue order: the processor confirms the spool up to the last sequence of each stored batch,
        // which is only right when no earlier sequence is still behind it in the queue.
        lock (_postLock)
        {
            try
            {
                item = _spool.Append(message, _time.GetUtcNow());
            }
            catch (Exception ex) when (IsJournalFailure(ex))
            {
                throw FailStop(ex, message);
            }
            posted = Enqueue(item);
        }
        // The record may reach the store before it reaches the disk; either way it is durable before the PUBACK.
        try
        {
            _spool.WaitDurable(item.Sequence);
        }
        catch (Exception ex) when (IsJournalFailure(ex))
        {
            throw FailStop(ex, message);
        }
        return posted;
    }

    private static bool IsJournalFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;

    /// <summary>
    /// The PUBACK goes out when this callback returns, and the message could not be made durable: stop the process
    /// before that (fail-stop). The broker still holds the message and redelivers it after the restart; what was
    /// journaled before is recovered from the spool. Disk full means a restart loop with this reason, never a loss.
    /// </summary>
    private Exception FailStop(Exception ex, MqttMessage message)
    {
        LogSpoolFailed(ex, message.Topic, _spool.Directory);
        Environment.FailFast($"edgeai-central: cannot journal an inbound message in {_spool.Directory}: {ex.Message}");
        return ex;   // not reached
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

    /// <summary>Queues a message recovered from the spool (at start, before the broker connection opens).</summary>
    public ValueTask PostRecoveredAsync(InboundMessage item, CancellationToken ct)
    {
        Interlocked.Add(ref _bytes, item.Message.Payload.Length);
        return _channel.Writer.WriteAsync(item, ct);
    }

    [LoggerMessage(EventId = 222, Level = LogLevel.Critical,
        Message = "Cannot journal a message on {Topic} in the spool {Directory}; stopping before it is acknowledged so the broker keeps it")]
    private partial void LogSpoolFailed(Exception ex, string topic, string directory);

    /// <summary>No more messages: the reader drains what is queued, then stops.</summary>
    public void Complete()
    {
        _completed = true;
        _room.Set();
        _channel.Writer.TryComplete();
    }
}
