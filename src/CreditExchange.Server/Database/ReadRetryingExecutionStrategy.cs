using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace CreditExchange.Server.Database;

/// <summary>
/// Npgsql's retrying execution strategy, for idempotent work only: a query or a statement run
/// outside any transaction, with no pending changes, is retried after a transient failure (a
/// restarted server, a failover, a dropped pooled connection). Nothing that writes is retried here:
/// user-initiated transactions (record intake, lifecycle changes, the audit sealer) run as they are,
/// without the strategy's "no user transactions" rule, and SaveChanges is never repeated, since its
/// first attempt may have committed. Their failures reach the caller as UNAVAILABLE, and callers retry.
/// A read of many rows runs under <see cref="ForWholeRead"/>: retried whole, its rows streamed (see <see cref="IWholeReadStrategy"/>).
/// </summary>
public sealed class ReadRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay, bool wholeRead = false)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null), IWholeReadStrategy
{
    /// <summary>
    /// False for a whole read: EF Core asks the strategy in force when it compiles a query, and buffers the rows only
    /// when that strategy would retry the query alone. The whole read is retried here instead (ShouldRetryOn).
    /// </summary>
    public override bool RetriesOnFailure => !wholeRead && base.RetriesOnFailure;

    public IExecutionStrategy ForWholeRead() => new ReadRetryingExecutionStrategy(Dependencies, MaxRetryCount, MaxRetryDelay, wholeRead: true);

    /// <summary>
    /// Inside a transaction the work runs once (<see cref="ShouldRetryOn"/> says no), so EF Core's
    /// refusal of user-initiated transactions is not needed there. (RetriesOnFailure itself must not
    /// look at the context: EF Core reads it while building the context's services.)
    /// </summary>
    protected override void OnFirstExecution()
    {
        if (InTransaction)
        {
            ExceptionsEncountered.Clear();
            return;
        }

        base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) =>
        !InTransaction
        && !Dependencies.CurrentContext.Context.ChangeTracker.HasChanges()
        && (base.ShouldRetryOn(exception) || StorageFailures.IsTransient(exception));

    private bool InTransaction => Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;
}
