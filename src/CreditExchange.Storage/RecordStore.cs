using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>A record as the submitting side hands it to the store.</summary>
public sealed record NewRecord(
    string AgencyId,
    string SourceRecordId,
    byte[] ContentHash,
    int SubjectKind,
    string SubjectKey,
    string DivisionCode,
    int Category,
    int Severity,
    int Domain,
    int Disclosure,
    DateOnly DecisionDate,
    byte[] Content,
    long ArrearsFen);

public enum SubmitOutcome
{
    /// <summary>Stored now.</summary>
    Accepted,

    /// <summary>A retry: the same content was stored before; nothing new stored.</summary>
    Duplicate,

    /// <summary>The source id is taken by different content; nothing stored.</summary>
    Conflict,
}

public sealed record SubmitResult(SubmitOutcome Outcome, RecordEntity Record);

/// <summary>Filters of a subject query; <see cref="AgencyId"/> limits it to one agency's own records.</summary>
public sealed record SubjectQuery(
    string SubjectKey,
    string? AgencyId,
    IReadOnlyCollection<int> Categories,
    IReadOnlyCollection<int> Statuses,
    DateOnly? DecisionDateFrom,
    DateOnly? DecisionDateTo,
    (DateOnly DecisionDate, long Sequence)? After,
    int Limit);

public sealed class RecordStore(CreditDbContext db, TimeProvider time, DisclosurePolicyBook policies)
{
    public const int ActiveStatus = (int)RecordStatus.Active;

    /// <summary>Stores one record unless (agency, source id) is already taken; commits before returning.</summary>
    public async Task<SubmitResult> SubmitAsync(NewRecord item, CancellationToken ct) =>
        (await SubmitManyAsync([item], ct))[0];

    /// <summary>
    /// Stores a batch in one transaction. Items whose (agency, source id) already exists — in the
    /// database or earlier in the same batch — are answered from that row, never stored twice.
    /// </summary>
    public async Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(IReadOnlyList<NewRecord> items, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TrySubmitManyAsync(items, ct);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // A concurrent submission of the same source id won the unique index between our
                // read and our insert. Nothing of ours was committed; answer again from the winner.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IReadOnlyList<SubmitResult>> TrySubmitManyAsync(IReadOnlyList<NewRecord> items, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await FindExistingAsync(items, ct);
        var results = new SubmitResult[items.Count];
        // PostgreSQL keeps microseconds: answer with what a retry will read back.
        var acceptedAt = RecordHistory.Stored(time.GetUtcNow());
        var acceptedOn = ChinaCalendar.Today(time);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var key = (item.AgencyId, item.SourceRecordId);
            if (existing.TryGetValue(key, out var found))
            {
                // A retry matches what was first submitted, even after a correction changed the content.
                var submitted = found.SubmittedContentHash ?? found.ContentHash;
                var same = submitted.AsSpan().SequenceEqual(item.ContentHash);
                results[i] = new SubmitResult(same ? SubmitOutcome.Duplicate : SubmitOutcome.Conflict, found);
                continue;
            }

            var entity = ToEntity(item, acceptedAt, policies.Fix((RecordSeverity)item.Severity, item.DecisionDate, acceptedOn));
            db.Records.Add(entity);
            RecordHistory.Append(db, entity, RecordChange.Submitted, item.AgencyId, "", acceptedAt);
            existing[key] = entity;
            results[i] = new SubmitResult(SubmitOutcome.Accepted, entity);
        }

        if (db.ChangeTracker.HasChanges())
        {
            await RecordHistory.LockFeedAsync(db, ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return results;
    }

    private async Task<Dictionary<(string, string), RecordEntity>> FindExistingAsync(IReadOnlyList<NewRecord> items, CancellationToken ct)
    {
        var found = new Dictionary<(string, string), RecordEntity>();
        // One query per agency present (in practice one: a batch comes from one caller).
        foreach (var group in items.GroupBy(i => i.AgencyId))
        {
            var sourceIds = group.Select(i => i.SourceRecordId).Distinct().ToList();
            var rows = await db.Records.AsNoTracking()
                .Where(r => r.AgencyId == group.Key && sourceIds.Contains(r.SourceRecordId))
                .ToListAsync(ct);
            foreach (var row in rows)
            {
                found[(row.AgencyId, row.SourceRecordId)] = row;
            }
        }

        return found;
    }

    private static RecordEntity ToEntity(NewRecord item, DateTimeOffset acceptedAt, DisclosurePeriods periods) => new()
    {
        Id = Guid.CreateVersion7(acceptedAt),
        AgencyId = item.AgencyId,
        SourceRecordId = item.SourceRecordId,
        ContentHash = item.ContentHash,
        SubjectKind = item.SubjectKind,
        SubjectKey = item.SubjectKey,
        DivisionCode = item.DivisionCode,
        Category = item.Category,
        Severity = item.Severity,
        Domain = item.Domain,
        Disclosure = item.Disclosure,
        Status = ActiveStatus,
        Version = 1,
        DecisionDate = item.DecisionDate,
        ArrearsFen = item.ArrearsFen,
        AcceptedAt = acceptedAt,
        Content = item.Content,
        SubmittedContentHash = item.ContentHash,
        PolicyVersion = periods.PolicyVersion,
        PublishedByDefault = periods.PublishedByDefault,
        DisclosureMinimumEnd = periods.MinimumEnd,
        DisclosureMaximumEnd = periods.MaximumEnd,
    };

    public Task<RecordEntity?> FindAsync(Guid id, CancellationToken ct) =>
        db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>One page of a subject's records, newest decision first, keyset-paged.</summary>
    public async Task<IReadOnlyList<RecordEntity>> ListBySubjectAsync(SubjectQuery q, CancellationToken ct)
    {
        var rows = db.Records.AsNoTracking().Where(r => r.SubjectKey == q.SubjectKey);
        if (q.AgencyId is not null)
        {
            rows = rows.Where(r => r.AgencyId == q.AgencyId);
        }

        if (q.Categories.Count > 0)
        {
            rows = rows.Where(r => q.Categories.Contains(r.Category));
        }

        if (q.Statuses.Count > 0)
        {
            rows = rows.Where(r => q.Statuses.Contains(r.Status));
        }

        if (q.DecisionDateFrom is { } from)
        {
            rows = rows.Where(r => r.DecisionDate >= from);
        }

        if (q.DecisionDateTo is { } to)
        {
            rows = rows.Where(r => r.DecisionDate <= to);
        }

        if (q.After is var (afterDate, afterSequence))
        {
            rows = rows.Where(r => r.DecisionDate < afterDate || (r.DecisionDate == afterDate && r.Sequence < afterSequence));
        }

        return await rows
            .OrderByDescending(r => r.DecisionDate)
            .ThenByDescending(r => r.Sequence)
            .Take(q.Limit)
            .ToListAsync(ct);
    }
}
