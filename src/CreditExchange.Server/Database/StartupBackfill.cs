using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Database;

/// <summary>
/// The one loop of every start-up backfill (rows an earlier hub left behind): read a batch of the rows
/// still pending, change them, save, until none is pending. Each batch has its own scope and context,
/// so a large table never sits in one change tracker. <paramref name="pending"/> must stop selecting a
/// row once it is changed.
/// </summary>
public static class StartupBackfill
{
    public const int BatchSize = 500;

    /// <param name="progress">Told the running total after each batch (start-up says what it does).</param>
    public static async Task<int> InBatchesAsync<T>(
        IServiceProvider services, Func<CreditDbContext, IQueryable<T>> pending, Action<T> change, CancellationToken ct, Action<int>? progress = null)
        where T : class
    {
        var done = 0;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            var rows = await pending(db).Take(BatchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return done;
            }

            rows.ForEach(change);
            await db.SaveChangesAsync(ct);
            done += rows.Count;
            progress?.Invoke(done);
        }
    }
}
