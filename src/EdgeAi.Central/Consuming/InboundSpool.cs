using System.Buffers.Binary;
using System.Text;
using EdgeAi.Central.Configuration;
using EdgeAi.Messaging;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// An append-only file journal of every message taken from the broker, written on the MQTT network thread before the
/// message callback returns. libmosquitto 2.0 queues a QoS 1 PUBACK before it calls the message callback but, with
/// <c>mosquitto_threaded_set</c>, writes it to the socket only after the callback returns (on the same thread); so once a
/// message is acknowledged to the broker it is already in this journal. Without it, a SIGKILL between the PUBACK and
/// the database commit lost the messages in the in-memory queue (the broker had forgotten them).
/// </summary>
/// <remarks>
/// Layout: segment files <c>{first sequence:D16}.spool</c> in <see cref="Directory"/>. A record is
/// <c>[len u32][body][len u32]</c>, body = sequence i64, received-at ms i64, message key (16 bytes), QoS u8, then
/// topic, content type, correlation data and payload, each as <c>[len i32 (-1 = none)][bytes]</c>. The trailing length
/// detects a torn last record (power loss); it is ignored. <see cref="Committed"/> (called after the store committed
/// a batch) deletes segments whose records are all stored. At start, <see cref="Recover"/> returns what is left, which
/// the processor stores again: events and evidence are de-duplicated by id, dead letters by message key.
/// Thread-safety: <see cref="Append"/>, <see cref="WaitDurable"/> (several network threads) and <see cref="Committed"/>
/// (the processor) may run concurrently: one lock for the files, one monitor for the group commit.
/// </remarks>
internal sealed partial class InboundSpool : IDisposable
{
    private const long SegmentBytes = 16 << 20;
    private readonly Lock _lock = new();
    private readonly object _syncGate = new();
    private bool _syncing;
    private long _durable;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly List<(string File, long LastSequence)> _closed = [];
    private FileStream? _active;
    private string? _activeFile;
    private long _activeLast;
    private long _next = 1;
    private long _committed;
    private byte[] _buffer = new byte[4096];

    public InboundSpool(CentralOptions options, ILogger<InboundSpool> logger)
    {
        Directory = options.Consumer.ResolveSpoolDirectory(options);
        _fsync = options.Consumer.SpoolSync == SpoolSyncMode.Fsync;
        _logger = logger;
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The folder holding the segments (one per Central instance).</summary>
    public string Directory { get; }

    /// <summary>Records appended and not yet confirmed stored.</summary>
    public long Pending { get { lock (_lock) return _next - 1 - _committed; } }

    /// <summary>
    /// Reads every record left by an earlier run (in order) and makes new records continue after them. Call once,
    /// before the first <see cref="Append"/>.
    /// </summary>
    public IReadOnlyList<InboundMessage> Recover()
    {
        var result = new List<InboundMessage>();
        lock (_lock)
        {
            foreach (var file in System.IO.Directory.GetFiles(Directory, "*.spool").Order(StringComparer.Ordinal))
            {
                var before = result.Count;
                var torn = ReadSegment(file, result);
                if (torn) LogTornRecord(file);
                var last = result.Count > before ? result[^1].Sequence : 0;
                if (last == 0) File.Delete(file);
                else _closed.Add((file, last));
            }
            if (result.Count > 0)
            {
                _next = result[^1].Sequence + 1;
                _committed = result[0].Sequence - 1;
                LogRecovered(result.Count, Directory);
            }
        }
        return result;
    }

    /// <summary>
    /// Journals a message (one write(2): in the page cache, safe from a process crash, before this returns); returns it
    /// with its sequence number and key. On an MQTT network thread. With <c>spool_sync=fsync</c> the caller then calls
    /// <see cref="WaitDurable"/> before it lets the PUBACK go.
    /// </summary>
    public InboundMessage Append(MqttMessage message, DateTimeOffset receivedAt)
    {
        lock (_lock)
        {
            var item = new InboundMessage(message, receivedAt, _next, Guid.CreateVersion7(receivedAt));
            var length = Encode(item);
            if (_active is null || _active.Length + length > SegmentBytes) Roll();
            _active!.Write(_buffer, 0, length);
            _activeLast = _next++;
            return item;
        }
    }

    /// <summary>
    /// With <c>spool_sync=fsync</c>, returns once the record <paramref name="sequence"/> is on disk (no-op otherwise).
    /// Group commit: one caller (the leader) runs fsync for every record written so far while the others wait; when it
    /// ends, all waiters wake at once and those whose record it covered return. One network thread alone gains nothing (each callback waits for its own fsync), so Central
    /// consumes over several connections (<c>consumer.connections</c>): their callbacks share each fsync.
    /// </summary>
    public void WaitDurable(long sequence)
    {
        if (!_fsync) return;
        lock (_syncGate)
        {
            while (true)
            {
                if (_durable >= sequence) return;
                if (!_syncing) break;              // nobody is syncing: lead the next group
                Monitor.Wait(_syncGate);           // a sync is running; when it ends, it may have covered this record
            }
            _syncing = true;
        }
        var synced = 0L;
        try
        {
            FileStream? file;
            long last;
            lock (_lock)
            {
                file = _active;
                last = _activeLast;
            }
            try
            {
                if (file is not null) RandomAccess.FlushToDisk(file.SafeFileHandle);
            }
            catch (ObjectDisposedException)
            {
                // The segment was rolled (Roll syncs it before closing) or deleted because all its records are stored.
            }
            synced = last;
        }
        finally
        {
            // Wake every waiter at once: those covered return, one of the rest leads the next group. After a failed
            // fsync (IOException, passed to the caller) nothing is marked durable.
            lock (_syncGate)
            {
                _syncing = false;
                if (synced > _durable) _durable = synced;
                Syncs++;
                Monitor.PulseAll(_syncGate);
            }
        }
    }

    /// <summary>fsync calls made by <see cref="WaitDurable"/> (records per sync = group-commit factor).</summary>
    public long Syncs { get; private set; }

    /// <summary>Every record up to <paramref name="sequence"/> is in the database: drop the segments that hold only such records.</summary>
    public void Committed(long sequence)
    {
        lock (_lock)
        {
            if (sequence <= _committed) return;
            _committed = sequence;
            for (var i = _closed.Count - 1; i >= 0; i--)
            {
                if (_closed[i].LastSequence > sequence) continue;
                File.Delete(_closed[i].File);
                _closed.RemoveAt(i);
            }
            // The active segment holds only stored records: start over in a new file rather than let it grow.
            if (_active is not null && _activeLast <= sequence && _active.Length > 0)
            {
                _active.Dispose();
                File.Delete(_activeFile!);
                _active = null;
            }
        }
    }

    private void Roll()
    {
        if (_active is not null)
        {
            if (_fsync) _active.Flush(flushToDisk: true);   // its records may be awaited in WaitDurable
            _active.Dispose();
            _closed.Add((_activeFile!, _activeLast));
        }
        _activeFile = Path.Combine(Directory, $"{_next:D16}.spool");
        // bufferSize 0: each record is one write(2), in the page cache (safe from a process crash) before Append returns.
        _active = new FileStream(_activeFile, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private int Encode(InboundMessage item)
    {
        var m = item.Message;
        var topic = Encoding.UTF8.GetBytes(m.Topic);
        var contentType = m.ContentType is null ? null : Encoding.UTF8.GetBytes(m.ContentType);
        var body = 8 + 8 + 16 + 1 + 4 + topic.Length + 4 + (contentType?.Length ?? 0) + 4 + (m.CorrelationData?.Length ?? 0) + 4 + m.Payload.Length;
        var total = 4 + body + 4;
        if (_buffer.Length < total) _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
        var s = _buffer.AsSpan(0, total);
        BinaryPrimitives.WriteInt32LittleEndian(s, body);
        var p = 4;
        BinaryPrimitives.WriteInt64LittleEndian(s[p..], item.Sequence); p += 8;
        BinaryPrimitives.WriteInt64LittleEndian(s[p..], item.ReceivedAt.ToUnixTimeMilliseconds()); p += 8;
        item.Key.TryWriteBytes(s[p..]); p += 16;
        s[p++] = (byte)m.Qos;
        p = Put(s, p, topic);
        p = Put(s, p, contentType);
        p = Put(s, p, m.CorrelationData);
        p = Put(s, p, m.Payload);
        BinaryPrimitives.WriteInt32LittleEndian(s[p..], body);
        return total;
    }

    private static int Put(Span<byte> s, int p, byte[]? bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(s[p..], bytes?.Length ?? -1);
        p += 4;
        if (bytes is null) return p;
        bytes.CopyTo(s[p..]);
        return p + bytes.Length;
    }

    /// <summary>Appends the segment's complete records; true when it ended in a torn record.</summary>
    private static bool ReadSegment(string file, List<InboundMessage> into)
    {
        var data = File.ReadAllBytes(file);
        var p = 0;
        while (p < data.Length)
        {
            if (data.Length - p < 8) return true;
            var body = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(p));
            if (body < 0 || p + 4L + body + 4 > data.Length || BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(p + 4 + body)) != body) return true;
            var s = data.AsSpan(p + 4, body);
            var q = 0;
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(s[q..]); q += 8;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(s[q..])); q += 8;
            var key = new Guid(s.Slice(q, 16)); q += 16;
            int qos = s[q++];
            var topic = Get(s, ref q)!;
            var contentType = Get(s, ref q);
            var correlation = Get(s, ref q);
            var payload = Get(s, ref q) ?? [];
            into.Add(new InboundMessage(new MqttMessage(Encoding.UTF8.GetString(topic), payload, qos, false,
                contentType is null ? null : Encoding.UTF8.GetString(contentType), correlation), at, sequence, key));
            p += 4 + body + 4;
        }
        return false;
    }

    private static byte[]? Get(ReadOnlySpan<byte> s, ref int q)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(s[q..]);
        q += 4;
        if (n < 0) return null;
        var bytes = s.Slice(q, n).ToArray();
        q += n;
        return bytes;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _active?.Dispose();
            _active = null;
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Spool {Recovered} messages received but not stored before the last stop are being stored now (from {Directory})")]
    private partial void LogRecovered(int recovered, string directory);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Spool segment {File} ends in an incomplete record (power loss while writing?); the incomplete record is skipped")]
    private partial void LogTornRecord(string file);
}
