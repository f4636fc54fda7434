using Dapper;

namespace EdgeAi.Central.Storage;

internal sealed partial class CentralStore
{
    private const string InsertDeadLetter =
        """
            INSERT INTO dead_letters (topic, device_id, reason, payload, payload_bytes, received_at, message_key)
            VALUES (@Topic, @DeviceId, @Reason, @Payload, @PayloadBytes, @ReceivedAt, @MessageKey)
            ON CONFLICT (message_key) DO NOTHING
            """;

    public async Task AddDeadLetterAsync(DeadLetterRow row, CancellationToken ct) => await AddDeadLettersAsync([row], ct).ConfigureAwait(false);

    /// <summary>Stores rejected messages in one transaction; a row whose message key is already stored (a batch retried after a failure) is skipped.</summary>
    public async Task AddDeadLettersAsync(IReadOnlyList<DeadLetterRow> rows, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync([], ct).ConfigureAwait(false);
        foreach (var row in rows)
            await w.Connection.ExecuteAsync(new CommandDefinition(InsertDeadLetter, row, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stores an evidence image; false when one with this id is already stored (redelivery).</summary>
    public async Task<bool> AddEvidenceAsync(EvidenceRow row, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        var n = await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO evidence (evidence_id, device_id, event_id, content_type, bytes, sha256, data, received_at)
            VALUES (@EvidenceId, @DeviceId, @EventId, @ContentType, @Bytes, @Sha256, @Data, @ReceivedAt)
            ON CONFLICT (evidence_id) DO NOTHING
            """, row, cancellationToken: ct)).ConfigureAwait(false);
        return n == 1;
    }

    public async Task UpsertDeviceStatusAsync(string deviceId, bool? online, string json, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO devices (device_id, online, status, status_at) VALUES (@deviceId, @online, @json, @at)
            ON CONFLICT (device_id) DO UPDATE SET online = excluded.online, status = excluded.status, status_at = excluded.status_at
            """, new { deviceId, online = online is null ? (long?)null : online.Value ? 1L : 0L, json, at = UnixMs.From(at) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task UpsertDeviceHealthAsync(string deviceId, string json, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO devices (device_id, health, health_at) VALUES (@deviceId, @json, @at)
            ON CONFLICT (device_id) DO UPDATE SET health = excluded.health, health_at = excluded.health_at
            """, new { deviceId, json, at = UnixMs.From(at) }, cancellationToken: ct)).ConfigureAwait(false);
    }
}
