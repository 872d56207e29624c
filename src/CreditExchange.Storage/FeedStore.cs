using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// The record feed's order, decided on the reading side. Writers insert record_events rows with no
/// lock; the publisher numbers the rows whose transaction has committed — those its statement can
/// see — after the feed's head, in insertion order, in one statement that commits all of them at once:
/// <list type="bullet">
/// <item>Each committed event is numbered exactly once (only unnumbered rows are, by one publisher at a
/// time), positions are gap-free and strictly increasing (each statement continues from the committed
/// head), and readers, who read positions after their own, see a gap-free prefix (a statement's
/// positions commit together).</item>
/// <item>A record's versions stay in order: a change to a record reads the committed version before it
/// writes the next, so the next version's transaction commits later — no snapshot sees it without the
/// earlier one — and inserts its event later (a larger insertion sequence).</item>
/// <item>Nothing but the hub's own writes holds numbering back: a transaction still open anywhere in the
/// cluster (another database, a long report, an idle session, a prepared transaction) neither hides a
/// committed row nor delays it. (An earlier rule numbered only rows below the cluster-wide xmin, and any
/// open transaction froze the feed.) A writer's transaction that commits late simply has its events
/// numbered after the events of transactions that committed before it.</item>
/// </list>
/// Publishers on several instances serialise on a transaction-scoped advisory lock taken by the
/// publisher only (try-lock: a busy instance skips its turn); writers never touch it. SQLite has one
/// writer at a time: the same statement.
/// </summary>
public sealed class FeedStore(CreditDbContext db, UnitOfWork unit)
{
    /// <summary>The publishers' lock ("CEFPUB"); never taken by writers.</summary>
    private const long PublisherLockKey = 0x4345_4650_5542;

    /// <summary>The channel on which a publisher announces new feed positions (PostgreSQL LISTEN/NOTIFY).</summary>
    public const string NotifyChannel = "creditexchange_feed";

    /// <summary>
    /// Numbers up to <paramref name="limit"/> complete, unnumbered events after the feed's head; answers
    /// the new head, or null when nothing was numbered (or another instance is numbering).
    /// </summary>
    public async Task<long?> PublishAsync(int limit, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long? head;
        if (db.IsPostgres)
        {
            // Not composed with LINQ: the statements run as written (a data-modifying WITH may not be nested).
            var locked = (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({PublisherLockKey}) AS \"Value\"").ToListAsync(ct))[0];
            if (!locked)
            {
                return null;
            }

            head = (await db.Database.SqlQueryRaw<long?>(
                """
                WITH head AS (SELECT COALESCE(MAX("FeedPosition"), 0) AS p FROM record_events),
                next AS (
                    SELECT "Sequence", row_number() OVER (ORDER BY "Sequence") AS n
                    FROM record_events
                    WHERE "FeedPosition" IS NULL
                    ORDER BY "Sequence"
                    LIMIT {0}),
                numbered AS (
                    UPDATE record_events e SET "FeedPosition" = head.p + next.n
                    FROM next, head WHERE e."Sequence" = next."Sequence"
                    RETURNING e."FeedPosition")
                SELECT MAX("FeedPosition") AS "Value" FROM numbered
                """,
                limit).ToListAsync(ct)).FirstOrDefault();
            if (head is not null)
            {
                var announced = head.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"SELECT pg_notify({NotifyChannel}, {announced})", ct);
            }
        }
        else
        {
            var numbered = await db.Database.ExecuteSqlRawAsync(
                """
                WITH head AS (SELECT COALESCE(MAX("FeedPosition"), 0) AS p FROM record_events),
                next AS (
                    SELECT "Sequence", row_number() OVER (ORDER BY "Sequence") AS n
                    FROM record_events WHERE "FeedPosition" IS NULL ORDER BY "Sequence" LIMIT {0})
                UPDATE record_events SET "FeedPosition" = (SELECT p FROM head) + (SELECT n FROM next WHERE next."Sequence" = record_events."Sequence")
                WHERE "Sequence" IN (SELECT "Sequence" FROM next)
                """,
                [limit],
                ct);
            head = numbered == 0 ? null : await HeadAsync(ct);
        }

        await tx.CommitAsync(ct);
        return head;
    }

    /// <summary>The committed events not yet numbered, and when the oldest of them happened (null when none waits).</summary>
    public async Task<(long Count, DateTimeOffset? Oldest)> PendingAsync(CancellationToken ct)
    {
        var pending = db.RecordEvents.AsNoTracking().Where(e => e.FeedPosition == null);
        var count = await pending.LongCountAsync(ct);
        // The first inserted of them (SQLite cannot aggregate a DateTimeOffset; insertion order is the events' order).
        return (count, count == 0 ? null : await pending.OrderBy(e => e.Sequence).Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefaultAsync(ct));
    }

    /// <summary>
    /// The sessions that can hold numbering back (PostgreSQL; none on SQLite): one that has held the publishers' lock
    /// for over a second (a publisher that hangs, or anyone taking the lock by hand), and those that block a session of
    /// this database waiting for a lock (e.g. a LOCK TABLE on record_events). Oldest transaction first.
    /// </summary>
    public async Task<List<FeedBlocker>> BlockersAsync(CancellationToken ct)
    {
        if (!db.IsPostgres)
        {
            return [];
        }

        var high = PublisherLockKey >> 32;
        var low = PublisherLockKey & 0xFFFF_FFFF;
        return await db.Database.SqlQuery<FeedBlocker>(
            $"""
            WITH holders AS (
                SELECT l.pid, 'holds the feed publishers'' lock' AS role
                FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = {high} AND l.objid::bigint = {low} AND l.objsubid = 1),
            blocking AS (
                SELECT DISTINCT unnest(pg_blocking_pids(a.pid)) AS pid, 'blocks a session of this database waiting for a lock' AS role
                FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'),
            suspects AS (SELECT * FROM holders UNION SELECT * FROM blocking)
            SELECT s.pid AS "Pid", s.role AS "Role", a.datname AS "Database", a.usename AS "User",
                   a.application_name AS "Application", a.state AS "State",
                   extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.backend_start))::float8 AS "Seconds"
            FROM suspects s JOIN pg_stat_activity a ON a.pid = s.pid
            WHERE s.pid <> pg_backend_pid()
              AND (s.role NOT LIKE 'holds%' OR clock_timestamp() - coalesce(a.xact_start, a.backend_start) > interval '1 second')
            ORDER BY "Seconds" DESC
            LIMIT 5
            """).ToListAsync(ct);
    }

    /// <summary>The newest feed position (0 when the feed is empty).</summary>
    public async Task<long> HeadAsync(CancellationToken ct) =>
        await db.RecordEvents.AsNoTracking().MaxAsync(e => e.FeedPosition, ct) ?? 0;

    /// <summary>Up to <paramref name="limit"/> numbered events after <paramref name="after"/>, in feed order.</summary>
    public Task<List<RecordEventEntity>> ReadAfterAsync(long after, int limit, CancellationToken ct) =>
        db.RecordEvents.AsNoTracking()
            .Where(e => e.FeedPosition > after)
            .OrderBy(e => e.FeedPosition)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>The current rows of the records named, by id.</summary>
    public async Task<Dictionary<Guid, RecordEntity>> RecordsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);

    public Task<FeedSubscriptionEntity?> FindSubscriptionAsync(string agencyId, string name, CancellationToken ct) =>
        db.FeedSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.AgencyId == agencyId && s.Name == name, ct);

    /// <summary>The agency's named subscriptions, by name.</summary>
    public Task<List<FeedSubscriptionEntity>> SubscriptionsAsync(string agencyId, CancellationToken ct) =>
        db.FeedSubscriptions.AsNoTracking().Where(s => s.AgencyId == agencyId).OrderBy(s => s.Name).ToListAsync(ct);

    /// <summary>Deletes the agency's subscription, with the call's audit entry; answers it as it was, or null when there is none.</summary>
    public async Task<FeedSubscriptionEntity?> DeleteSubscriptionAsync(string agencyId, string name, CancellationToken ct)
    {
        var row = await db.FeedSubscriptions.FirstOrDefaultAsync(s => s.AgencyId == agencyId && s.Name == name, ct);
        if (row is null)
        {
            return null;
        }

        db.FeedSubscriptions.Remove(row);
        await unit.SaveAsync(ct);
        return row;
    }

    /// <summary>
    /// Creates the subscription at <paramref name="sequence"/>, or moves it forward to it (never back,
    /// also when acknowledgements race); answers its acknowledged sequence — or null, creating nothing, when the
    /// agency already holds <paramref name="maxPerAgency"/> subscriptions and this one is new.
    /// </summary>
    public async Task<long?> AcknowledgeAsync(string agencyId, string name, long sequence, DateTimeOffset at, int maxPerAgency, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            long? acknowledged = sequence;
            try
            {
                // With the call's audit entry, in one transaction.
                await unit.InTransactionAsync(
                    async _ =>
                    {
                        var moved = await db.FeedSubscriptions
                            .Where(s => s.AgencyId == agencyId && s.Name == name && s.AcknowledgedSequence < sequence)
                            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AcknowledgedSequence, sequence).SetProperty(s => s.UpdatedAt, at), ct);
                        if (await FindSubscriptionAsync(agencyId, name, ct) is { } row)
                        {
                            acknowledged = row.AcknowledgedSequence;
                            if (moved > 0)
                            {
                                Acknowledged(agencyId, name, sequence, at);
                            }

                            return;
                        }

                        if (db.IsPostgres)
                        {
                            // One creation at a time per agency, so that two at once cannot both pass the count.
                            var key = "feed-subscriptions:" + agencyId;
                            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
                        }

                        if (await db.FeedSubscriptions.CountAsync(s => s.AgencyId == agencyId, ct) >= maxPerAgency)
                        {
                            acknowledged = null;
                            return;
                        }

                        db.FeedSubscriptions.Add(new FeedSubscriptionEntity { AgencyId = agencyId, Name = name, AcknowledgedSequence = sequence, CreatedAt = at, UpdatedAt = at });
                        Acknowledged(agencyId, name, sequence, at);
                    },
                    [],
                    ct);
                return acknowledged;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Two acknowledgements of a new subscription raced on its key: move the winner forward instead.
            }
        }
    }

    /// <summary>A subscription moved forward: kept as history, so that a change's acknowledgement has a time (change reach).</summary>
    private void Acknowledged(string agencyId, string name, long sequence, DateTimeOffset at) =>
        db.FeedAcknowledgements.Add(new FeedAcknowledgementEntity { AgencyId = agencyId, Subscription = name, Sequence = sequence, At = at.UtcDateTime });
}

/// <summary>A session that can hold the feed's numbering back: its process id, what it does to the feed, where, and its transaction's age.</summary>
public sealed record FeedBlocker(int Pid, string Role, string? Database, string? User, string? Application, string? State, double? Seconds)
{
    public override string ToString() =>
        $"pid {Pid} ({Role}; database {Database ?? "?"}, user {User ?? "?"}, application '{Application}', {State ?? "?"}, transaction {Seconds ?? 0:0.#} s old)";
}
