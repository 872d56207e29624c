using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CreditExchange.Storage;

/// <summary>
/// An execution strategy that can retry a read as a whole: the statements and the reading of every row, into the
/// caller's own objects. EF Core buffers each query's rows (a column array per column, doubled as it grows) when the
/// strategy in force would retry the query itself; a read of thousands of rows then holds them twice, the copy in
/// large arrays whose budget starts the GC's full collections. Under a whole-read strategy EF Core streams the rows.
/// </summary>
public interface IWholeReadStrategy
{
    /// <summary>A strategy for one read, retrying it whole on a transient failure and telling EF Core not to buffer inside it.</summary>
    IExecutionStrategy ForWholeRead();
}

public static class WholeReads
{
    /// <summary>
    /// Runs <paramref name="read"/> (queries only, no changes) with its rows streamed rather than buffered, retried from
    /// the start after a transient failure when the configured strategy retries reads (the read's first rows, already
    /// taken, are taken again: <paramref name="read"/> must build its result afresh on each attempt). Inside a
    /// transaction, or with a provider that does not retry, it runs once, as it would anyway.
    /// </summary>
    public static Task<T> ReadWholeAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy is IWholeReadStrategy whole
            ? whole.ForWholeRead().ExecuteAsync(read, static (_, r, c) => r(c), null, ct)
            : read(ct);
    }
}
