using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// The bidding blacklist's rows: entries, their history, and the tendering agencies' published profiles. Every change
/// of an entry is written the one way (<see cref="Append"/>): the entry at its next version, its history row, and one
/// record_events row under the entry's id, so that the joint-punishment feed carries it like a record's change.
/// </summary>
public sealed class BlacklistStore(CreditDbContext db, UnitOfWork unit)
{
    public Task<BlacklistEntryEntity?> FindAsync(Guid id, CancellationToken ct) =>
        db.BlacklistEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);

    /// <summary>The entry, tracked for a change.</summary>
    public Task<BlacklistEntryEntity?> FindForChangeAsync(Guid id, CancellationToken ct) =>
        db.BlacklistEntries.SingleOrDefaultAsync(e => e.Id == id, ct);

    public Task<BlacklistEntryEntity?> FindBySourceAsync(string agencyId, string sourceEntryId, CancellationToken ct) =>
        db.BlacklistEntries.AsNoTracking().SingleOrDefaultAsync(e => e.AgencyId == agencyId && e.SourceEntryId == sourceEntryId, ct);

    /// <summary>The entries of <paramref name="ids"/> (the feed's lookup of events that are not records').</summary>
    public async Task<Dictionary<Guid, BlacklistEntryEntity>> EntriesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.BlacklistEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);

    /// <summary>
    /// Adds a new entry with its first version and event, with the call's audit entry; answers the stored entry and
    /// whether it is new — or, when the same agency and source id won a race, the entry that won and false.
    /// </summary>
    public async Task<(BlacklistEntryEntity Entry, bool Added)> AddAsync(BlacklistEntryEntity entry, RecordChange change, string reason, CancellationToken ct)
    {
        entry.Version = 1;
        db.BlacklistEntries.Add(entry);
        Rows(entry, change, entry.AgencyId, reason, entry.ListedAt, statusAfter: 1);
        try
        {
            await unit.SaveAsync(ct);
            return (entry, true);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await FindBySourceAsync(entry.AgencyId, entry.SourceEntryId, ct) is { } first)
            {
                return (first, false);
            }

            throw;
        }
    }

    /// <summary>
    /// Commits a change of a tracked entry (already changed): its next version, history row and event, with the call's
    /// audit entry. Answers false, committing nothing, when another change committed first.
    /// </summary>
    public async Task<bool> CommitAsync(BlacklistEntryEntity entry, RecordChange change, string agencyId, string reason, DateTimeOffset at, int statusAfter, CancellationToken ct)
    {
        entry.Version++;
        Rows(entry, change, agencyId, reason, at, statusAfter);
        try
        {
            await unit.SaveAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateException)
        {
            // The (entry, version) key of the history refused a second writer.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Entries in force on <paramref name="today"/> (not removed, exit date not passed), newest entry date first, keyset-paged.</summary>
    public Task<List<BlacklistEntryEntity>> InForceAsync(DateOnly today, string? creditCode, int? domain, (DateOnly EntryDate, long Sequence)? after, int limit, CancellationToken ct)
    {
        var rows = db.BlacklistEntries.AsNoTracking().Where(e => !e.Removed && e.ExitDate >= today);
        if (creditCode is not null)
        {
            rows = rows.Where(e => e.CreditCode == creditCode);
        }

        if (domain is { } d)
        {
            rows = rows.Where(e => e.Domain == d);
        }

        if (after is var (afterDate, afterSequence))
        {
            rows = rows.Where(e => e.EntryDate < afterDate || (e.EntryDate == afterDate && e.Sequence < afterSequence));
        }

        return rows.OrderByDescending(e => e.EntryDate).ThenByDescending(e => e.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>Entries whose exit date is before <paramref name="today"/> and whose exit is not recorded yet, tracked, oldest first.</summary>
    public Task<List<BlacklistEntryEntity>> DueForExitAsync(DateOnly today, int limit, CancellationToken ct) =>
        db.BlacklistEntries.Where(e => !e.Removed && !e.ExitRecorded && e.ExitDate < today).OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);

    /// <summary>Forgets tracked rows (after a refused change, before the next).</summary>
    public void Forget() => db.ChangeTracker.Clear();

    public Task<TenderingAgencyEntity?> TenderingAgencyAsync(string creditCode, CancellationToken ct) =>
        db.TenderingAgencies.AsNoTracking().SingleOrDefaultAsync(t => t.CreditCode == creditCode, ct);

    public async Task<Dictionary<string, TenderingAgencyEntity>> TenderingAgenciesAsync(IReadOnlyCollection<string> codes, CancellationToken ct) =>
        await db.TenderingAgencies.AsNoTracking().Where(t => codes.Contains(t.CreditCode)).ToDictionaryAsync(t => t.CreditCode, StringComparer.Ordinal, ct);

    /// <summary>Publishes or replaces a tendering agency's profile, with the call's audit entry.</summary>
    public async Task<TenderingAgencyEntity> PublishTenderingAgencyAsync(TenderingAgencyEntity profile, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.TenderingAgencies.SingleOrDefaultAsync(t => t.CreditCode == profile.CreditCode, ct);
            if (row is null)
            {
                db.TenderingAgencies.Add(profile);
            }
            else
            {
                row.Name = profile.Name;
                row.Qualification = profile.Qualification;
                row.CreditInformation = profile.CreditInformation;
                row.PublishedBy = profile.PublishedBy;
                row.PublishedAt = profile.PublishedAt;
            }

            try
            {
                await unit.SaveAsync(ct);
                return profile;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Two first publications raced on the code: replace the winner's.
                db.ChangeTracker.Clear();
            }
        }
    }

    private void Rows(BlacklistEntryEntity entry, RecordChange change, string agencyId, string reason, DateTimeOffset at, int statusAfter)
    {
        db.BlacklistEntryVersions.Add(new BlacklistEntryVersionEntity
        {
            EntryId = entry.Id, Version = entry.Version, Change = (int)change, AgencyId = agencyId, Reason = reason, ChangedAt = at,
        });
        db.RecordEvents.Add(new RecordEventEntity { RecordId = entry.Id, Version = entry.Version, EventType = (int)change, Status = statusAfter, OccurredAt = at });
    }
}
