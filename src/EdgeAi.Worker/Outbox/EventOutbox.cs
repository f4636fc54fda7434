using System.Text.Json;
using System.Threading.Channels;
using EdgeAi.Models.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Outbox;

/// <summary>
/// Durable event outbox in SQLite: an event is emitted once <see cref="EnqueueAsync"/> has returned, and leaves only when
/// the broker acknowledged it (<see cref="AcknowledgeAsync"/>) or the overflow policy shed it.
/// </summary>
/// <remarks>
/// <para>Durability: WAL journal with <c>synchronous=FULL</c>, so every commit fsyncs the WAL before
/// <see cref="EnqueueAsync"/> completes. A returned enqueue survives <c>kill -9</c> of the worker (that alone would need
/// only the OS page cache) and power loss or a kernel crash (that is what FULL adds over NORMAL), provided the disk honours
/// fsync. A crash mid-commit loses only that uncommitted batch, whose callers never saw success.</para>
/// <para>Sequence numbers: assigned per device inside the enqueue transaction from a persisted counter, so they continue
/// across restarts without gap or reuse; rows are delivered in row-id order, which is sequence order per device. A gap
/// a consumer sees therefore means events were shed, never lost silently.</para>
/// <para>Overflow policy, applied in the same transaction as the write that breaks the budget: over
/// <see cref="OutboxOptions.MaxBytes"/>, evidence blobs are shed oldest first; if still over, the oldest events are shed
/// (the newest event is always kept). Events older than <see cref="OutboxOptions.MaxAge"/> are shed with their evidence.
/// Every shed item is counted per kind (<see cref="Depth"/>) and each shedding pass logs one Warning with the counts.</para>
/// <para>Thread-safety: all members may be called concurrently. One writer loop owns the SQLite connection; concurrent
/// enqueues and acknowledgements are committed together (group commit: one fsync for many events).</para>
/// </remarks>
internal sealed partial class EventOutbox : IAsyncDisposable
{
    private const int SchemaVersion = 1;

    private readonly OutboxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SqliteConnection _db;
    private readonly Channel<Op> _ops = Channel.CreateUnbounded<Op>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, long> _lastSequences = new(StringComparer.Ordinal);
    private readonly Lock _stateLock = new();
    private readonly Task _writer;
    private readonly ITimer _maintenance;
    private OutboxDepth _depth;
    private long _lastRowId;
    private TaskCompletionSource _rowsAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private EventOutbox(OutboxOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,   // the file must be closed when we are disposed (tests reopen it; restarts take it over)
        }.ToString());
        try
        {
            _db.Open();
            Initialise();
        }
        catch
        {
            _db.Dispose();
            throw;
        }
        _writer = Task.Run(WriterLoopAsync);
        _maintenance = time.CreateTimer(_ => _ops.Writer.TryWrite(new MaintenanceOp()), null, options.MaintenanceInterval, options.MaintenanceInterval);
    }

    /// <summary>Opens (creating if needed) the outbox at <see cref="OutboxOptions.Path"/> and starts its writer.</summary>
    public static EventOutbox Open(OutboxOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        options.Validate();
        return new EventOutbox(options, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
    }

    public string Path => _options.Path;

    /// <summary>Current backlog and shed counters (consistent snapshot; cheap).</summary>
    public OutboxDepth Depth { get { lock (_stateLock) return _depth; } }

    /// <summary>Highest event row id committed so far (0 when none ever was).</summary>
    public long LastRowId { get { lock (_stateLock) return _lastRowId; } }

    /// <summary>Last sequence number assigned to <paramref name="deviceId"/> (persisted; 0 when none yet).</summary>
    public long LastSequence(string deviceId)
    {
        lock (_stateLock) return _lastSequences.GetValueOrDefault(deviceId);
    }

    /// <summary>
    /// Validates <paramref name="evt"/>, assigns its device's next sequence number, stores it with its evidence, and
    /// returns once the transaction is on disk (fsync'd). Returns the stored event (with <see cref="EdgeEvent.Sequence"/>).
    /// Every blob must be referenced by id in <see cref="EdgeEvent.Evidence"/>. <paramref name="ct"/> is observed only
    /// before the write is queued, so a cancelled call never leaves the caller unsure whether the event was stored.
    /// </summary>
    /// <exception cref="ArgumentException">The event breaks the contract (the message holds the validator's reason) or a blob has no reference.</exception>
    public Task<EdgeEvent> EnqueueAsync(EdgeEvent evtWithoutSequence, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evtWithoutSequence);
        ArgumentNullException.ThrowIfNull(evidence);
        ct.ThrowIfCancellationRequested();
        if (EdgeEventValidator.Validate(evtWithoutSequence, requireSequence: false) is { } reason)
            throw new ArgumentException($"invalid event: {reason}", nameof(evtWithoutSequence));
        foreach (var blob in evidence)
        {
            if (!evtWithoutSequence.Evidence.Any(r => r.Id == blob.Ref.Id))
                throw new ArgumentException($"evidence blob '{blob.Ref.Id}' is not referenced by the event", nameof(evidence));
        }
        var op = new EnqueueOp(evtWithoutSequence, evidence);
        Post(op);
        return op.Result.Task;
    }

    /// <summary>Up to <paramref name="max"/> committed events with row id greater than <paramref name="afterRowId"/>, oldest first, with their evidence.</summary>
    public Task<IReadOnlyList<OutboxEntry>> PeekBatchAsync(long afterRowId, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var op = new PeekOp(afterRowId, max);
        Post(op);
        return op.Result.Task.WaitAsync(ct);
    }

    /// <summary>Deletes the events (and their evidence) the broker acknowledged. Unknown ids (already shed) are ignored.</summary>
    public Task AcknowledgeAsync(IReadOnlyCollection<long> rowIds, CancellationToken ct = default)
    {
        if (rowIds.Count == 0) return Task.CompletedTask;
        var op = new AckOp(rowIds.ToArray());
        Post(op);
        return op.Result.Task.WaitAsync(ct);
    }

    /// <summary>Completes when an event with row id greater than <paramref name="rowId"/> has been committed.</summary>
    public async Task WaitForRowsAfterAsync(long rowId, CancellationToken ct)
    {
        while (true)
        {
            Task signal;
            lock (_stateLock)
            {
                if (_lastRowId > rowId) return;
                signal = _rowsAdded.Task;
            }
            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void Post(Op op)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_ops.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(EventOutbox));
    }

    private void Initialise()
    {
        Exec("PRAGMA journal_mode=WAL;");
        Exec("PRAGMA synchronous=FULL;");
        Exec("PRAGMA foreign_keys=ON;");
        Exec("PRAGMA busy_timeout=5000;");
        Exec("PRAGMA journal_size_limit=67108864;");   // trim the WAL file back to 64 MiB after checkpoints
        var version = Convert.ToInt32(Scalar("PRAGMA user_version;"));
        if (version > SchemaVersion)
            throw new InvalidOperationException($"outbox {_options.Path} has schema version {version}, newer than this build's {SchemaVersion}");
        Exec("""
            CREATE TABLE IF NOT EXISTS sequences (
                device_id     TEXT PRIMARY KEY,
                last_sequence INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS events (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                device_id   TEXT    NOT NULL,
                sequence    INTEGER NOT NULL,
                event_id    TEXT    NOT NULL,
                enqueued_at INTEGER NOT NULL,   -- Unix milliseconds
                bytes       INTEGER NOT NULL,
                payload     BLOB    NOT NULL,   -- event JSON (UTF-8) with its sequence, without publish_time
                UNIQUE (device_id, sequence)
            );
            CREATE TABLE IF NOT EXISTS evidence (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                event_row    INTEGER NOT NULL REFERENCES events(id),
                evidence_id  TEXT    NOT NULL,
                content_type TEXT    NOT NULL,
                enqueued_at  INTEGER NOT NULL,
                bytes        INTEGER NOT NULL,
                data         BLOB    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS evidence_by_event ON evidence(event_row);
            PRAGMA user_version = 1;
            """);

        using (var cmd = Command(null, "SELECT device_id, last_sequence FROM sequences;"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) _lastSequences[r.GetString(0)] = r.GetInt64(1);
        }
        var (events, eventBytes) = CountAndBytes("events");
        var (evidence, evidenceBytes) = CountAndBytes("evidence");
        _lastRowId = Convert.ToInt64(Scalar("SELECT COALESCE(MAX(id), 0) FROM events;"));
        _depth = new OutboxDepth(events, evidence, eventBytes + evidenceBytes, OldestEnqueuedAt(null), 0, 0);
        LogOpened(_options.Path, events, evidence, _depth.Bytes, _lastSequences.Count == 0 ? "none" : string.Join(", ", _lastSequences.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    private async Task WriterLoopAsync()
    {
        var reader = _ops.Reader;
        var batch = new List<Op>(_options.MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var op)) batch.Add(op);
            try
            {
                Process(batch);
            }
            catch (Exception ex)
            {
                // E.g. disk full or I/O error: this batch is not stored and its callers are told; the outbox stays up
                // and the next batch tries again (its in-memory state only ever reflects committed transactions).
                LogBatchFailed(ex, _options.Path, batch.Count);
                foreach (var op in batch) op.Fail(ex);
            }
        }
    }

    /// <summary>Commits every write of the batch in one transaction (one fsync), then answers the reads.</summary>
    private void Process(List<Op> batch)
    {
        var hasWrites = false;
        foreach (var op in batch) hasWrites |= op is not PeekOp;
        if (hasWrites) CommitWrites(batch);
        foreach (var op in batch)
        {
            if (op is PeekOp peek)
            {
                try { peek.Result.TrySetResult(Peek(peek.AfterRowId, peek.Max)); }
                catch (Exception ex) { peek.Fail(ex); }
            }
        }
    }

    private void CommitWrites(List<Op> batch)
    {
        var now = _time.GetUtcNow();
        var delta = new Delta();
        var done = new List<(Op Op, Action Complete)>();
        using (var tx = _db.BeginTransaction(deferred: false))
        {
            try
            {
                foreach (var op in batch)
                {
                    if (op is PeekOp) continue;
                    tx.Save("op");
                    var opDelta = new Delta();
                    try
                    {
                        var complete = Apply(op, tx, now, ref opDelta);
                        tx.Release("op");
                        delta.Add(opDelta);
                        done.Add((op, complete));
                    }
                    catch (Exception ex) when (ex is SqliteException or JsonException or ArgumentException)
                    {
                        tx.Rollback("op");
                        tx.Release("op");
                        op.Fail(ex);
                    }
                }
                Shed(tx, now, ref delta);
                if (delta.Deleted) delta.Oldest = OldestEnqueuedAt(tx);
                tx.Commit();
            }
            catch (Exception ex)
            {
                // Nothing of this batch is on disk: fail every caller that was about to succeed.
                foreach (var (op, _) in done) op.Fail(ex);
                throw;
            }
        }
        Publish(delta);
        foreach (var (_, complete) in done) complete();
        if (delta.ShedEvents + delta.ShedEvidence > 0)
        {
            var d = Depth;
            LogShed(delta.ShedEvidence, delta.ShedEvents, delta.ShedReason!, _options.MaxBytes, _options.MaxAge.TotalHours, d.ShedEvidence, d.ShedEvents);
        }
    }

    private Action Apply(Op op, SqliteTransaction tx, DateTimeOffset now, ref Delta delta)
    {
        switch (op)
        {
            case EnqueueOp e:
            {
                var stored = Insert(e, tx, now, ref delta);
                return () => e.Result.TrySetResult(stored);
            }
            case AckOp a:
                foreach (var id in a.RowIds) DeleteEvent(tx, id, ref delta, shed: false);
                return () => a.Result.TrySetResult();
            case MaintenanceOp m:
                return () => m.Result.TrySetResult();
            default:
                throw new InvalidOperationException($"unexpected outbox operation {op.GetType().Name}");
        }
    }

    private EdgeEvent Insert(EnqueueOp op, SqliteTransaction tx, DateTimeOffset now, ref Delta delta)
    {
        var evt = op.Event;
        long sequence;
        using (var cmd = Command(tx, """
            INSERT INTO sequences(device_id, last_sequence) VALUES ($device, 1)
            ON CONFLICT(device_id) DO UPDATE SET last_sequence = last_sequence + 1
            RETURNING last_sequence;
            """))
        {
            cmd.Parameters.AddWithValue("$device", evt.DeviceId);
            sequence = Convert.ToInt64(cmd.ExecuteScalar());
        }
        var stored = evt with { Sequence = sequence, PublishTime = null };
        var payload = JsonSerializer.SerializeToUtf8Bytes(stored, EdgeAiJsonContext.Default.EdgeEvent);
        if (payload.Length > EdgeEventSchema.MaxPayloadBytes)
            throw new ArgumentException($"invalid event: payload too large: {payload.Length} bytes (max {EdgeEventSchema.MaxPayloadBytes})");
        var at = now.ToUnixTimeMilliseconds();
        long rowId;
        using (var cmd = Command(tx, """
            INSERT INTO events(device_id, sequence, event_id, enqueued_at, bytes, payload)
            VALUES ($device, $sequence, $eventId, $at, $bytes, $payload) RETURNING id;
            """))
        {
            cmd.Parameters.AddWithValue("$device", evt.DeviceId);
            cmd.Parameters.AddWithValue("$sequence", sequence);
            cmd.Parameters.AddWithValue("$eventId", evt.EventId.ToString());
            cmd.Parameters.AddWithValue("$at", at);
            cmd.Parameters.AddWithValue("$bytes", payload.Length);
            cmd.Parameters.AddWithValue("$payload", payload);
            rowId = Convert.ToInt64(cmd.ExecuteScalar());
        }
        foreach (var blob in op.Evidence)
        {
            using var cmd = Command(tx, """
                INSERT INTO evidence(event_row, evidence_id, content_type, enqueued_at, bytes, data)
                VALUES ($row, $id, $contentType, $at, $bytes, $data);
                """);
            cmd.Parameters.AddWithValue("$row", rowId);
            cmd.Parameters.AddWithValue("$id", blob.Ref.Id);
            cmd.Parameters.AddWithValue("$contentType", blob.Ref.ContentType);
            cmd.Parameters.AddWithValue("$at", at);
            cmd.Parameters.AddWithValue("$bytes", blob.Data.Length);
            cmd.Parameters.Add("$data", SqliteType.Blob).Value = blob.Data.ToArray();
            cmd.ExecuteNonQuery();
            delta.Evidence++;
            delta.Bytes += blob.Data.Length;
        }
        delta.Events++;
        delta.Bytes += payload.Length;
        delta.LastRowId = rowId;
        delta.Sequences[evt.DeviceId] = sequence;
        delta.Oldest ??= now;   // only used when the outbox was empty (see Publish)
        return stored;
    }

    /// <summary>Deletes one event row and its evidence, adjusting <paramref name="delta"/>; false when it was already gone.</summary>
    private bool DeleteEvent(SqliteTransaction tx, long rowId, ref Delta delta, bool shed)
    {
        using (var cmd = Command(tx, "DELETE FROM evidence WHERE event_row = $row RETURNING bytes;"))
        {
            cmd.Parameters.AddWithValue("$row", rowId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                delta.Evidence--;
                delta.Bytes -= r.GetInt64(0);
                if (shed) delta.ShedEvidence++;
            }
        }
        using (var cmd = Command(tx, "DELETE FROM events WHERE id = $row RETURNING bytes;"))
        {
            cmd.Parameters.AddWithValue("$row", rowId);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return false;
            delta.Events--;
            delta.Bytes -= r.GetInt64(0);
            if (shed) delta.ShedEvents++;
        }
        delta.Deleted = true;
        return true;
    }

    /// <summary>The overflow policy: age first (stale events go whatever the budget), then bytes: evidence oldest first, then events.</summary>
    private void Shed(SqliteTransaction tx, DateTimeOffset now, ref Delta delta)
    {
        var current = Depth;
        var cutoff = (now - _options.MaxAge).ToUnixTimeMilliseconds();
        if (current.OldestEnqueuedAt is { } oldest && oldest.ToUnixTimeMilliseconds() < cutoff)
        {
            var stale = new List<long>();
            using (var cmd = Command(tx, "SELECT id FROM events WHERE enqueued_at < $cutoff ORDER BY id;"))
            {
                cmd.Parameters.AddWithValue("$cutoff", cutoff);
                using var r = cmd.ExecuteReader();
                while (r.Read()) stale.Add(r.GetInt64(0));
            }
            foreach (var id in stale) DeleteEvent(tx, id, ref delta, shed: true);
            if (stale.Count > 0) delta.ShedReason = "older than max age";
        }

        var excess = current.Bytes + delta.Bytes - _options.MaxBytes;
        if (excess <= 0) return;
        delta.ShedReason = delta.ShedReason is null ? "over byte budget" : delta.ShedReason + " and over byte budget";
        var victims = new List<(long Id, long Bytes)>();
        using (var cmd = Command(tx, "SELECT id, bytes FROM evidence ORDER BY id;"))
        using (var r = cmd.ExecuteReader())
        {
            for (long freed = 0; freed < excess && r.Read();)
            {
                victims.Add((r.GetInt64(0), r.GetInt64(1)));
                freed += r.GetInt64(1);
            }
        }
        foreach (var (id, bytes) in victims)
        {
            using var cmd = Command(tx, "DELETE FROM evidence WHERE id = $id;");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.ExecuteNonQuery();
            delta.Evidence--;
            delta.Bytes -= bytes;
            delta.ShedEvidence++;
            excess -= bytes;
        }
        if (excess <= 0) return;

        // Still over budget with no evidence left: the oldest events go, never the newest.
        var events = new List<long>();
        using (var cmd = Command(tx, "SELECT id, bytes FROM events WHERE id < (SELECT MAX(id) FROM events) ORDER BY id;"))
        using (var r = cmd.ExecuteReader())
        {
            for (long freed = 0; freed < excess && r.Read();)
            {
                events.Add(r.GetInt64(0));
                freed += r.GetInt64(1);
            }
        }
        foreach (var id in events) DeleteEvent(tx, id, ref delta, shed: true);
    }

    private IReadOnlyList<OutboxEntry> Peek(long afterRowId, int max)
    {
        var rows = new List<(long Id, string Device, long Sequence, Guid EventId, long At, byte[] Payload)>();
        using (var cmd = Command(null, """
            SELECT id, device_id, sequence, event_id, enqueued_at, payload FROM events WHERE id > $after ORDER BY id LIMIT $max;
            """))
        {
            cmd.Parameters.AddWithValue("$after", afterRowId);
            cmd.Parameters.AddWithValue("$max", max);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), Guid.Parse(r.GetString(3)), r.GetInt64(4), (byte[])r.GetValue(5)));
        }
        if (rows.Count == 0) return [];

        var evidence = new Dictionary<long, List<OutboxEvidence>>();
        using (var cmd = Command(null, """
            SELECT event_row, evidence_id, content_type, data FROM evidence WHERE event_row BETWEEN $first AND $last ORDER BY id;
            """))
        {
            cmd.Parameters.AddWithValue("$first", rows[0].Id);
            cmd.Parameters.AddWithValue("$last", rows[^1].Id);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var row = r.GetInt64(0);
                if (!evidence.TryGetValue(row, out var list)) evidence[row] = list = [];
                list.Add(new OutboxEvidence(r.GetString(1), r.GetString(2), (byte[])r.GetValue(3)));
            }
        }
        return rows.Select(x => new OutboxEntry(x.Id, x.Device, x.Sequence, x.EventId, x.Payload,
            evidence.TryGetValue(x.Id, out var ev) ? ev : [], DateTimeOffset.FromUnixTimeMilliseconds(x.At))).ToList();
    }

    private DateTimeOffset? OldestEnqueuedAt(SqliteTransaction? tx)
    {
        using var cmd = Command(tx, "SELECT enqueued_at FROM events ORDER BY id LIMIT 1;");
        return cmd.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Makes a committed batch visible: depth, sequences, and a wake-up for publishers waiting on new rows.</summary>
    private void Publish(Delta delta)
    {
        TaskCompletionSource? wake = null;
        lock (_stateLock)
        {
            var d = _depth;
            // After deletes the transaction re-read the oldest row; after inserts only, the oldest is unchanged unless it was empty.
            var oldest = delta.Deleted ? delta.Oldest : d.OldestEnqueuedAt ?? delta.Oldest;
            _depth = new OutboxDepth(d.Events + delta.Events, d.EvidenceBlobs + delta.Evidence, d.Bytes + delta.Bytes, oldest,
                d.ShedEvents + delta.ShedEvents, d.ShedEvidence + delta.ShedEvidence);
            foreach (var (device, seq) in delta.Sequences) _lastSequences[device] = seq;
            if (delta.LastRowId > _lastRowId)
            {
                _lastRowId = delta.LastRowId;
                wake = _rowsAdded;
                _rowsAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        wake?.TrySetResult();
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Exec(string sql)
    {
        using var cmd = Command(null, sql);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = Command(null, sql);
        return cmd.ExecuteScalar();
    }

    private (long Count, long Bytes) CountAndBytes(string table)
    {
        using var cmd = Command(null, $"SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM {table};");
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>Stops the writer after the queued operations, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _maintenance.DisposeAsync().ConfigureAwait(false);
        _ops.Writer.TryComplete();
        try { await _writer.ConfigureAwait(false); }
        catch (Exception ex) { LogWriterFailed(ex, _options.Path); }
        await _db.DisposeAsync().ConfigureAwait(false);
        LogClosed(_options.Path);
    }

    /// <summary>Changes made by one transaction, applied to the in-memory state only once it committed.</summary>
    private struct Delta
    {
        public long Events, Evidence, Bytes, ShedEvents, ShedEvidence, LastRowId;
        public bool Deleted;
        public DateTimeOffset? Oldest;
        public string? ShedReason;
        private Dictionary<string, long>? _sequences;

        public Dictionary<string, long> Sequences => _sequences ??= new(StringComparer.Ordinal);

        public void Add(Delta other)
        {
            Events += other.Events;
            Evidence += other.Evidence;
            Bytes += other.Bytes;
            ShedEvents += other.ShedEvents;
            ShedEvidence += other.ShedEvidence;
            LastRowId = Math.Max(LastRowId, other.LastRowId);
            Deleted |= other.Deleted;
            Oldest ??= other.Oldest;
            if (other._sequences is not null)
                foreach (var (k, v) in other._sequences) Sequences[k] = v;
        }
    }

    private abstract class Op
    {
        public abstract void Fail(Exception ex);
    }

    private sealed class EnqueueOp(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence) : Op
    {
        public EdgeEvent Event { get; } = evt;
        public IReadOnlyList<EvidenceBlob> Evidence { get; } = evidence;
        public TaskCompletionSource<EdgeEvent> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Fail(Exception ex) => Result.TrySetException(ex);
    }

    private sealed class PeekOp(long afterRowId, int max) : Op
    {
        public long AfterRowId { get; } = afterRowId;
        public int Max { get; } = max;
        public TaskCompletionSource<IReadOnlyList<OutboxEntry>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Fail(Exception ex) => Result.TrySetException(ex);
    }

    private sealed class AckOp(long[] rowIds) : Op
    {
        public long[] RowIds { get; } = rowIds;
        public TaskCompletionSource Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Fail(Exception ex) => Result.TrySetException(ex);
    }

    private sealed class MaintenanceOp : Op
    {
        public TaskCompletionSource Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Fail(Exception ex) => Result.TrySetException(ex);
    }
}
