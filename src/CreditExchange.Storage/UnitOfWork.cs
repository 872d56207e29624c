using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace CreditExchange.Storage;

/// <summary>
/// The audit entry of the call whose changes are being saved. The hub provides it for every call (one per request
/// scope); outside a call (start-up, background sweeps) <see cref="SuccessEntry"/> answers null.
/// </summary>
public interface ICallAudit
{
    /// <summary>
    /// The call's entry as succeeding, naming <paramref name="recordIds"/> (the records its change touches) besides what
    /// it read; null when the scope is not an audited call, or its entry is already written.
    /// </summary>
    AuditEntryEntity? SuccessEntry(IEnumerable<Guid> recordIds);

    /// <summary>Commits <paramref name="entry"/> with <paramref name="rows"/> (new rows only) in the next audit group; throws what the commit threw.</summary>
    Task CommitInGroupAsync(AuditEntryEntity entry, IReadOnlyList<object> rows);

    /// <summary>The entry is committed with the call's change: the call is not audited again.</summary>
    void Committed(AuditEntryEntity entry);

    /// <summary>The call's stored agency signature (request_signatures), which the record versions it writes point at; null when unsigned.</summary>
    long? RequestSignatureId => null;
}

/// <summary>Outside any call (tools, tests of a store): no audit entry.</summary>
public sealed class NoCallAudit : ICallAudit
{
    public static readonly NoCallAudit Instance = new();

    public AuditEntryEntity? SuccessEntry(IEnumerable<Guid> recordIds) => null;

    public Task CommitInGroupAsync(AuditEntryEntity entry, IReadOnlyList<object> rows) => throw new InvalidOperationException("No audit group outside a call.");

    public void Committed(AuditEntryEntity entry)
    {
    }
}

/// <summary>
/// The one way a change is committed: with the audit entry of the call that makes it, in the same transaction, so
/// that a committed change without its entry — or an entry whose status contradicts the commit — cannot exist.
/// A change of new rows only (a submission, an appraisal check) joins the next audit group commit with its entry, so
/// the entries of concurrent calls still share a transaction; a change that updates rows (a lifecycle step, an agency
/// change) commits its entry in its own transaction, where the rows' concurrency tokens are checked. Stores save
/// through this and nothing else.
/// </summary>
public sealed class UnitOfWork(CreditDbContext db, ICallAudit audit)
{
    /// <summary>
    /// Saves the tracked changes with the call's entry, atomically, then clears the change tracker. Throws what the
    /// save threw (a concurrency or unique-key refusal included); then nothing of it, entry included, is stored.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        var changes = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        PointAtSignature(changes);
        var entry = changes.Count == 0 ? null : audit.SuccessEntry(TouchedRecords(changes.Select(e => e.Entity)));
        if (entry is null)
        {
            await db.SaveChangesAtomicallyAsync(ct);
            return;
        }

        if (db.Database.CurrentTransaction is null && changes.All(e => e.State == EntityState.Added))
        {
            // New rows go with the entry into the next group (owned rows travel with their owner).
            var rows = changes.Where(e => !e.Metadata.IsOwned()).Select(e => e.Entity).ToList();
            db.ChangeTracker.Clear();
            await audit.CommitInGroupAsync(entry, rows);
        }
        else
        {
            // What the call delivered goes to the recipient ledger with the change and its entry.
            db.AuditEntries.Add(entry);
            await DeliveryLedger.SaveChangesWithAsync(db, [entry], ct);
        }

        audit.Committed(entry);
    }

    /// <summary>
    /// Runs <paramref name="work"/> (writes by binary COPY, statements) in a transaction and commits it with the call's
    /// entry, naming <paramref name="recordIds"/>, and any tracked changes. Nothing of it is stored when it throws.
    /// </summary>
    public async Task InTransactionAsync(Func<IDbContextTransaction, Task> work, IEnumerable<Guid> recordIds, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await work(tx);
            PointAtSignature(db.ChangeTracker.Entries());
            var entry = audit.SuccessEntry(recordIds.Concat(TouchedRecords(db.ChangeTracker.Entries().Select(e => e.Entity))));
            if (entry is not null)
            {
                db.AuditEntries.Add(entry);
            }

            await db.SaveChangesAsync(ct);
            if (entry is not null)
            {
                await DeliveryLedger.SaveAsync(db, [entry], ct);
            }

            await tx.CommitAsync(ct);
            if (entry is not null)
            {
                audit.Committed(entry);
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The versions a call writes point at the agency's signed request that asked for them (a batch item's own is set already).</summary>
    private void PointAtSignature(IEnumerable<EntityEntry> changes)
    {
        if (audit.RequestSignatureId is not { } id)
        {
            return;
        }

        foreach (var change in changes)
        {
            if (change is { State: EntityState.Added, Entity: RecordVersionEntity { RequestSignatureId: null } version })
            {
                version.RequestSignatureId = id;
            }

            if (change is { State: EntityState.Added, Entity: BlacklistEntryVersionEntity { RequestSignatureId: null } entryVersion })
            {
                entryVersion.RequestSignatureId = id;
            }
        }
    }

    /// <summary>The records a change's rows belong to, as its audit entry names them (a check changes none: see AuditFacts.Deliver).</summary>
    public static IEnumerable<Guid> TouchedRecords(IEnumerable<object> rows) => rows.SelectMany(row => row switch
    {
        RecordEntity r => [r.Id],
        RecordVersionEntity v => [v.RecordId],
        RecordEventEntity e => [e.RecordId],
        ObjectionEntity o => [o.RecordId],
        RepairApplicationEntity r => [r.RecordId],
        ComplaintEntity c => [c.RecordId],
        BlacklistEntryEntity b => [b.Id],
        BlacklistEntryVersionEntity v => [v.EntryId],
        _ => Enumerable.Empty<Guid>(),
    }).Distinct();
}
