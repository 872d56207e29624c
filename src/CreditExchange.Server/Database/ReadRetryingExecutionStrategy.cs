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
/// </summary>
public sealed class ReadRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
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
