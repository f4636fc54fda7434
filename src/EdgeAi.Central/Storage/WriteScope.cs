using System.Data.Common;

namespace EdgeAi.Central.Storage;

/// <summary>A connection with an open write transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
internal sealed class WriteScope(DbConnection connection, DbTransaction transaction, Action? release) : IAsyncDisposable
{
    private bool _done;

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public async Task CommitAsync(CancellationToken ct = default)
    {
        await Transaction.CommitAsync(ct).ConfigureAwait(false);
        _done = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_done)
            {
                try { await Transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false); }
                catch (Exception) when (Connection.State != System.Data.ConnectionState.Open) { /* connection broken: nothing to roll back */ }
            }
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            release?.Invoke();
        }
    }
}
