using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreditExchange.Server.Database;

/// <summary>
/// Tells <see cref="StorageStatus"/> how the hub's real database work fares: a committed SaveChanges
/// is a successful write; a transient failure of a connection, command or SaveChanges marks storage
/// as failing. Registered with every CreditDbContext.
/// </summary>
public sealed class StorageObserver(StorageStatus status) : IDbConnectionInterceptor, IDbCommandInterceptor, ISaveChangesInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        status.ReportWriteSucceeded();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        status.ReportWriteSucceeded();
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Observe(eventData.Exception);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Observe(eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Observe(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Observe(Exception exception)
    {
        if (StorageFailures.IsTransient(exception))
        {
            status.ReportTransientFailure();
        }
    }
}
