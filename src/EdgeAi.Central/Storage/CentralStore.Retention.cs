using Dapper;

namespace EdgeAi.Central.Storage;

internal sealed partial class CentralStore
{
    private const int PruneChunk = 500;

    /// <summary>
    /// Deletes evidence received before <paramref name="olderThan"/>, then the oldest until at most <paramref name="maxBytes"/>
    /// remain: pictures, or with <paramref name="clips"/> video clips (each class has its own budget). Returns the number of
    /// blobs deleted. Works in chunks so no transaction holds the write lock for long. The references stay: a pruned
    /// on-device clip can be fetched again while the gateway still has it.
    /// </summary>
    public async Task<long> PruneEvidenceAsync(DateTimeOffset olderThan, long maxBytes, CancellationToken ct, bool clips = false)
    {
        long deleted = 0;
        var which = clips ? ClipFilter : $"NOT ({ClipFilter})";
        await using (var c = await Dialect.OpenAsync(ct).ConfigureAwait(false))
        {
            var old = (await c.QueryAsync<string>(new CommandDefinition(
                $"SELECT evidence_id FROM evidence WHERE received_at < @cutoff AND {which}", new { cutoff = UnixMs.From(olderThan) }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
            deleted += await DeleteByIdAsync("evidence", "evidence_id", old, ct).ConfigureAwait(false);

            var total = await c.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT SUM(bytes) FROM evidence WHERE {which}", cancellationToken: ct)).ConfigureAwait(false) ?? 0;
            if (total <= maxBytes) return deleted;
            var victims = new List<string>();
            foreach (var (id, bytes) in await c.QueryAsync<(string, long)>(new CommandDefinition(
                         $"SELECT evidence_id, bytes FROM evidence WHERE {which} ORDER BY received_at, evidence_id", cancellationToken: ct)).ConfigureAwait(false))
            {
                if (total <= maxBytes) break;
                victims.Add(id);
                total -= bytes;
            }
            deleted += await DeleteByIdAsync("evidence", "evidence_id", victims, ct).ConfigureAwait(false);
        }
        return deleted;
    }

    /// <summary>Deletes dead letters received before <paramref name="olderThan"/>, then the oldest beyond <paramref name="maxRows"/>.</summary>
    public async Task<long> PruneDeadLettersAsync(DateTimeOffset olderThan, long maxRows, CancellationToken ct)
    {
        long deleted = 0;
        await using (var w = await Dialect.BeginWriteAsync([], ct).ConfigureAwait(false))
        {
            deleted += await w.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM dead_letters WHERE received_at < @cutoff", new { cutoff = UnixMs.From(olderThan) }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            // Rows are numbered in arrival order: keep the newest maxRows.
            var newest = await w.Connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(id) FROM dead_letters", transaction: w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (newest is { } top)
            {
                deleted += await w.Connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM dead_letters WHERE id <= @limit", new { limit = top - maxRows }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            }
            await w.CommitAsync(ct).ConfigureAwait(false);
        }
        return deleted;
    }

    private async Task<long> DeleteByIdAsync(string table, string column, List<string> ids, CancellationToken ct)
    {
        long n = 0;
        foreach (var chunk in ids.Chunk(PruneChunk))
        {
            await using var w = await Dialect.BeginWriteAsync([], ct).ConfigureAwait(false);
            foreach (var id in chunk)
                n += await w.Connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE {column} = @id", new { id }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            await w.CommitAsync(ct).ConfigureAwait(false);
        }
        return n;
    }
}
