using System.Threading.Channels;
using CreditExchange.Server.Database;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Audit;

/// <summary>
/// Group commit of audit entries (each with the rows its call handed over, committed in the same
/// transaction). A call hands its entry over and awaits the commit of the group it joined: the guarantee is the same as one transaction per entry (nothing is answered before
/// its entry is durable), but the entries that arrive while a group commits share the next
/// transaction, so under load a commit, a context and a round trip serve many calls instead of one.
/// <see cref="AuditOptions.Writers"/> groups commit at a time; a group holds at most
/// <see cref="AuditOptions.GroupSize"/> entries. When a group fails for a reason other than an
/// unavailable database, its entries are retried one by one, so that one entry cannot fail the others.
/// </summary>
public sealed class AuditCommitter : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly IServiceScopeFactory _scopes;
    private readonly int _groupSize;
    private readonly int _copyFrom;
    private readonly Task[] _writers;
    private int _waiting;

    public AuditCommitter(IServiceScopeFactory scopes, IOptions<AuditOptions> options)
    {
        _scopes = scopes;
        _groupSize = options.Value.GroupSize;
        _copyFrom = options.Value.CopyFrom;
        _writers = Enumerable.Range(0, options.Value.Writers).Select(_ => Task.Run(WriteGroupsAsync)).ToArray();
    }

    /// <summary>Entries handed over and not yet committed (or failed): queued, or in a group being committed.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Completes when the entry is committed; throws what the commit threw.</summary>
    public async Task CommitAsync(AuditEntryEntity entry, IReadOnlyList<object> rows)
    {
        var pending = new Pending(entry, rows);
        Interlocked.Increment(ref _waiting);
        try
        {
            // After disposal (the host is gone) the entry is still written, alone.
            await (_queue.Writer.TryWrite(pending) ? pending.Committed.Task : AppendAsync([pending]));
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(_groupSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _groupSize && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
            }
        }
    }

    private async Task CommitGroupAsync(List<Pending> group)
    {
        try
        {
            await AppendAsync(group);
            group.ForEach(p => p.Committed.TrySetResult());
        }
        catch (Exception e) when (group.Count > 1 && !StorageFailures.IsTransient(e))
        {
            foreach (var pending in group)
            {
                try
                {
                    Reset(pending.Entry);
                    await AppendAsync([pending]);
                    pending.Committed.TrySetResult();
                }
                catch (Exception alone)
                {
                    pending.Committed.TrySetException(alone);
                }
            }
        }
        catch (Exception e)
        {
            group.ForEach(p => p.Committed.TrySetException(e));
        }
    }

    private async Task AppendAsync(IReadOnlyList<Pending> group)
    {
        await using var scope = _scopes.CreateAsyncScope();
        // Not a call's token: a call cancelled by its client is audited all the same.
        await scope.ServiceProvider.GetRequiredService<AuditStore>().AppendAsync(
            group.Select(p => p.Entry).ToList(), group.SelectMany(p => p.Rows).ToList(), _copyFrom, CancellationToken.None);
    }

    /// <summary>An entry of a failed group is added again: the database assigns its sequence anew.</summary>
    private static void Reset(AuditEntryEntity entry) => entry.Sequence = 0;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed class Pending(AuditEntryEntity entry, IReadOnlyList<object> rows)
    {
        public AuditEntryEntity Entry { get; } = entry;

        /// <summary>Rows of the call that commit with its entry (an appraisal check).</summary>
        public IReadOnlyList<object> Rows { get; } = rows;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
