using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Every column that holds data sealed with the privacy key ring, in one list: what the start-up check
/// counts per key (a key still needed must be configured) and what key rotation re-encrypts. A new sealed
/// column is added here, or rotation would leave it behind.
/// </summary>
public static class SealedData
{
    /// <param name="Text">A text column holding <c>ce1:keyId:base64</c> (else bytes holding the envelope).</param>
    public sealed record Column(string Table, string Name, bool Text);

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("records", "Content", false),
        new("record_versions", "Content", false),
        new("record_versions", "Reason", true),
        new("objections", "Grounds", true),
        new("objections", "Answer", true),
        new("repair_applications", "ObligationsEvidence", true),
        new("repair_applications", "CreditCommitment", true),
        new("repair_applications", "DecisionReason", true),
        new("appraisal_checks", "CaseReference", true),
        new("audit_entries", "Purpose", true),
    ];

    private const int BatchSize = 500;

    /// <summary>Sealed values per key id that sealed them, over every sealed column.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountByKeyAsync(CreditDbContext db, CancellationToken ct)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            foreach (var row in await db.Database.SqlQueryRaw<KeyRows>(CountSql(column, db.IsPostgres)).ToListAsync(ct))
            {
                counts[row.KeyId] = counts.GetValueOrDefault(row.KeyId) + row.Rows;
            }
        }

        return counts;
    }

    /// <summary>
    /// Re-encrypts every sealed value not under the current key, table by table, in batches; tells
    /// <paramref name="progress"/> the running total of values re-encrypted. Safe while hubs serve: a record changed meanwhile is
    /// read again, and the other tables' sealed values are written once and never changed.
    /// </summary>
    public static async Task<int> ResealAsync(IServiceProvider services, PersonalDataProtector p, Action<int> progress, CancellationToken ct)
    {
        var done = 0;
        void Count(int n)
        {
            done += n;
            if (n > 0)
            {
                progress(done);
            }
        }

        await PagedAsync(services, db => db.Records.OrderBy(r => r.Sequence), r => Changed(r.Content, p.Reseal(r.Content), v => r.Content = v), Count, ct);
        await PagedAsync(services, db => db.RecordVersions.OrderBy(v => v.RecordId).ThenBy(v => v.Version),
            v => Changed(v.Content, p.Reseal(v.Content), x => v.Content = x) + Changed(v.Reason, p.ResealText(v.Reason), x => v.Reason = x), Count, ct);
        await PagedAsync(services, db => db.Objections.OrderBy(o => o.Sequence),
            o => Changed(o.Grounds, p.ResealText(o.Grounds), x => o.Grounds = x) + Changed(o.Answer, p.ResealText(o.Answer), x => o.Answer = x), Count, ct);
        await PagedAsync(services, db => db.RepairApplications.OrderBy(r => r.Sequence),
            r => Changed(r.ObligationsEvidence, p.ResealText(r.ObligationsEvidence), x => r.ObligationsEvidence = x)
                 + Changed(r.CreditCommitment, p.ResealText(r.CreditCommitment), x => r.CreditCommitment = x)
                 + Changed(r.DecisionReason, p.ResealText(r.DecisionReason), x => r.DecisionReason = x), Count, ct);
        await PagedAsync(services, db => db.AppraisalChecks.OrderBy(c => c.Id), c => Changed(c.CaseReference, p.ResealText(c.CaseReference), x => c.CaseReference = x), Count, ct);
        // The audit chain covers a purpose in clear: re-keying it leaves every hash and MAC valid.
        await PagedAsync(services, db => db.AuditEntries.OrderBy(e => e.Sequence), e => Changed(e.Purpose, p.ResealText(e.Purpose), x => e.Purpose = x), Count, ct);
        return done;
    }

    /// <summary>How many sealed values opened and, per key id, how many did not (with the first reason).</summary>
    public sealed class OpenCheck
    {
        public long Opened { get; private set; }

        public Dictionary<string, (long Count, string Reason)> Failed { get; } = new(StringComparer.Ordinal);

        public long FailedCount => Failed.Values.Sum(f => f.Count);

        /// <summary>One line naming each key id whose values do not open; null when all opened.</summary>
        public string? Describe() => Failed.Count == 0 ? null : string.Join(" ", Failed.Select(f => $"{f.Value.Count} sealed values under key '{f.Key}' do not open ({f.Value.Reason})."));

        internal void Bytes(PersonalDataProtector p, byte[]? envelope)
        {
            if (envelope is not null && PersonalDataProtector.KeyIdOf(envelope) is { } id)
            {
                Try(id, () => p.Open(envelope));
            }
        }

        internal void Text(PersonalDataProtector p, string? stored)
        {
            if (PersonalDataProtector.KeyIdOfText(stored) is { } id)
            {
                Try(id, () => p.OpenText(stored));
            }
        }

        private void Try(string keyId, Action open)
        {
            try
            {
                open();
                Opened++;
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
            {
                var reason = e is SealedDataUnavailableException ? e.Message : "not a valid envelope";
                Failed[keyId] = (Failed.GetValueOrDefault(keyId).Count + 1, Failed.GetValueOrDefault(keyId).Reason ?? reason);
            }
        }
    }

    /// <summary>
    /// Opens every sealed value of every sealed column (read only); what opened and what did not. One streamed query
    /// per column, its rows read as they arrive and none kept: pages by OFFSET read every earlier row again for each
    /// page (and a retrying EF Core query buffers its whole result), so the start-up check of a million-record database
    /// took minutes before the hub was ready.
    /// </summary>
    public static async Task<OpenCheck> OpenAllAsync(IServiceProvider services, PersonalDataProtector p, CancellationToken ct)
    {
        var check = new OpenCheck();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var column in Columns)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                // Table and column names come from the fixed list above.
#pragma warning disable CA2100
                command.CommandText = $"SELECT \"{column.Name}\" FROM {column.Table} WHERE \"{column.Name}\" IS NOT NULL";
#pragma warning restore CA2100
                command.CommandTimeout = 0;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    if (column.Text)
                    {
                        check.Text(p, reader.GetString(0));
                    }
                    else
                    {
                        check.Bytes(p, (byte[])reader.GetValue(0));
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return check;
    }

    /// <summary>One value sealed under <paramref name="keyId"/> (text or envelope), or null when none is stored.</summary>
    public static async Task<object?> SampleAsync(CreditDbContext db, string keyId, CancellationToken ct)
    {
        var postgres = db.IsPostgres;
        var envelopePrefix = new byte[] { (byte)'C', (byte)'E', 1, (byte)keyId.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(keyId)).ToArray();
        foreach (var column in Columns)
        {
            var col = $"\"{column.Name}\"";
            if (column.Text)
            {
                // Table and column names come from the fixed list above; the key id is a parameter.
#pragma warning disable EF1002
                var found = await db.Database.SqlQueryRaw<string>(
                    $"SELECT {col} AS \"Value\" FROM {column.Table} WHERE {col} LIKE {{0}} LIMIT 1", PersonalDataProtector.SealedTextPrefix + keyId + ":%").ToListAsync(ct);
#pragma warning restore EF1002
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
            else
            {
                var sql = postgres
                    ? $"SELECT {col} AS \"Value\" FROM {column.Table} WHERE substring({col} from 1 for {envelopePrefix.Length}) = {{0}} LIMIT 1"
                    : $"SELECT {col} AS \"Value\" FROM {column.Table} WHERE substr({col}, 1, {envelopePrefix.Length}) = {{0}} LIMIT 1";
#pragma warning disable EF1002
                var found = await db.Database.SqlQueryRaw<byte[]>(sql, envelopePrefix).ToListAsync(ct);
#pragma warning restore EF1002
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
        }

        return null;
    }

    /// <summary>1 when the value was re-sealed (and set), else 0.</summary>
    private static int Changed<T>(T before, T after, Action<T> set)
        where T : class?
    {
        if (ReferenceEquals(before, after))
        {
            return 0;
        }

        set(after);
        return 1;
    }

    private static async Task PagedAsync<T>(IServiceProvider services, Func<CreditDbContext, IOrderedQueryable<T>> all, Func<T, int> reseal, Action<int> count, CancellationToken ct)
        where T : class
    {
        for (var offset = 0; ;)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            var rows = await all(db).Skip(offset).Take(BatchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return;
            }

            var changed = rows.Sum(reseal);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                continue; // a hub changed a record of this page meanwhile: read the page again
            }

            count(changed);
            offset += rows.Count;
        }
    }

    private static string CountSql(Column c, bool postgres)
    {
        var col = $"\"{c.Name}\"";
        if (c.Text)
        {
            return postgres
                ? $"SELECT split_part({col}, ':', 2) AS \"KeyId\", count(*)::int AS \"Rows\" FROM {c.Table} WHERE {col} LIKE 'ce1:%' GROUP BY 1"
                : $"SELECT substr({col}, 5, instr(substr({col}, 5), ':') - 1) AS \"KeyId\", count(*) AS \"Rows\" FROM {c.Table} WHERE {col} LIKE 'ce1:%' GROUP BY 1";
        }

        // "CE" | version 1 | key-id length | key id …: the header PersonalDataProtector writes.
        return postgres
            ? $"SELECT convert_from(substring({col} from 5 for get_byte({col}, 3)), 'UTF8') AS \"KeyId\", count(*)::int AS \"Rows\" FROM {c.Table} WHERE length({col}) > 4 AND substring({col} from 1 for 3) = '\\x434501'::bytea GROUP BY 1"
            : $"SELECT CAST(substr({col}, 5, unicode(substr({col}, 4, 1))) AS TEXT) AS \"KeyId\", count(*) AS \"Rows\" FROM {c.Table} WHERE length({col}) > 4 AND substr({col}, 1, 3) = X'434501' GROUP BY 1";
    }

    private sealed record KeyRows(string KeyId, int Rows);
}
