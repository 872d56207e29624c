using System.Globalization;
using CreditExchange.Contracts.Publication.V1;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace CreditExchange.PublicSite;

/// <summary>One row of the list page.</summary>
public sealed record MirrorRow(string RecordId, string SubjectName, string CreditCode, string DivisionCode, int Category, string DecisionDate, string AuthorityName);

/// <summary>A search of the list page.</summary>
public sealed record MirrorQuery(string? Name, string? CreditCode, string? Region, int? Category, int? Year, int Page, int PageSize);

/// <summary>What the mirror knows of a record: on the list (with its public form), withdrawn, or never seen.</summary>
public abstract record MirrorEntry
{
    public sealed record Listed(PublicRecord Record) : MirrorEntry;

    public sealed record Withdrawn(long Sequence) : MirrorEntry;

    public sealed record Unknown : MirrorEntry;
}

/// <summary>
/// The local mirror of the publication list in one SQLite file: the public form of every listed record (the hub's
/// bytes, as given), the withdrawn record ids, and the feed position after which to ask for changes. A page of
/// changes and the position after it are written in one transaction, so a restart resumes exactly where it stopped.
/// </summary>
public sealed class MirrorStore
{
    /// <summary>Up to this many trigram candidates, a name or code search starts from them.</summary>
    private const int CandidateLimit = 2000;

    private readonly string _connectionString;
    private IReadOnlyList<int>? _years; // the year filter's choices, until the next change

    public MirrorStore(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        using var connection = Open();
        Execute(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS publication (
              id INTEGER PRIMARY KEY,
              record_id TEXT NOT NULL UNIQUE,
              sequence INTEGER NOT NULL,
              subject_name TEXT NOT NULL,
              credit_code TEXT NOT NULL,
              division_code TEXT NOT NULL,
              category INTEGER NOT NULL,
              decision_year INTEGER NOT NULL,
              decision_date TEXT NOT NULL,
              published_until TEXT NOT NULL,
              authority_name TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS public_form (record_id TEXT PRIMARY KEY, form BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS withdrawal (record_id TEXT PRIMARY KEY, sequence INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS position (id INTEGER PRIMARY KEY CHECK (id = 1), after_sequence INTEGER NOT NULL);
            INSERT OR IGNORE INTO position (id, after_sequence) VALUES (1, 0);
            """);
        MoveFormsOut(connection);

        // The list page walks this index in its order and evaluates every filter from it (the list's columns are all
        // in it), so neither the page, a deep offset nor the count reads the table; the forms are read for a detail
        // page only. The year index answers the year filter's choices.
        Execute(connection, null, """
            CREATE INDEX IF NOT EXISTS publication_list ON publication
              (decision_date DESC, sequence DESC, published_until, subject_name, credit_code, division_code, category, decision_year);
            CREATE INDEX IF NOT EXISTS publication_year ON publication (decision_year);
            CREATE INDEX IF NOT EXISTS publication_until ON publication (published_until);
            CREATE INDEX IF NOT EXISTS publication_code ON publication (credit_code);
            CREATE INDEX IF NOT EXISTS publication_region ON publication (division_code, published_until, category, decision_year);
            CREATE INDEX IF NOT EXISTS publication_filter ON publication (category, decision_year, published_until, division_code);
            """);

        // Substring search by name or code: a trigram index of both, kept in step by Apply; filled once from the list.
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'listing_search'";
            if (Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                Execute(connection, null, """
                    CREATE VIRTUAL TABLE listing_search USING fts5(subject_name, credit_code, tokenize = 'trigram');
                    INSERT INTO listing_search (rowid, subject_name, credit_code) SELECT id, subject_name, credit_code FROM publication;
                    """);
            }
        }
    }

    /// <summary>
    /// Mirrors written before the list's index kept each public form in the list's own table, which made every list
    /// query read them: they are moved to <c>public_form</c> once, in one transaction.
    /// </summary>
    private static void MoveFormsOut(SqliteConnection connection)
    {
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM pragma_table_info('publication') WHERE name = 'public_form'";
            if (Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, """
            INSERT OR REPLACE INTO public_form (record_id, form) SELECT record_id, public_form FROM publication;
            CREATE TABLE publication_narrow (
              id INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, sequence INTEGER NOT NULL, subject_name TEXT NOT NULL, credit_code TEXT NOT NULL,
              division_code TEXT NOT NULL, category INTEGER NOT NULL, decision_year INTEGER NOT NULL, decision_date TEXT NOT NULL,
              published_until TEXT NOT NULL, authority_name TEXT NOT NULL);
            INSERT INTO publication_narrow (record_id, sequence, subject_name, credit_code, division_code, category, decision_year,
              decision_date, published_until, authority_name) SELECT record_id, sequence, subject_name, credit_code, division_code, category, decision_year,
              decision_date, published_until, authority_name FROM publication;
            DROP TABLE publication;
            ALTER TABLE publication_narrow RENAME TO publication;
            """);
        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>The feed sequence after which the next changes are to be asked.</summary>
    public long Position()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT after_sequence FROM position WHERE id = 1";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Applies a page of changes in order and moves the position after it, all or nothing.</summary>
    public void Apply(IEnumerable<PublicationChange> changes, long nextAfterSequence)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case PublicationChangeKind.Published:
                    var p = change.Publication;
                    Execute(connection, transaction, "DELETE FROM withdrawal WHERE record_id = $id", ("$id", change.RecordId));
                    Execute(connection, transaction, "INSERT OR REPLACE INTO public_form (record_id, form) VALUES ($id, $form)", ("$id", change.RecordId), ("$form", p.ToByteArray()));
                    Execute(connection, transaction, "DELETE FROM listing_search WHERE rowid = (SELECT id FROM publication WHERE record_id = $id)", ("$id", change.RecordId));
                    Execute(connection, transaction, """
                        INSERT OR REPLACE INTO publication
                          (record_id, sequence, subject_name, credit_code, division_code, category, decision_year, decision_date, published_until, authority_name)
                        VALUES ($id, $seq, $name, $code, $division, $category, $year, $date, $until, $authority)
                        """,
                        ("$id", change.RecordId), ("$seq", change.Sequence), ("$name", SubjectName(p)), ("$code", p.Subject.GovernmentBody?.CreditCode ?? ""),
                        ("$division", p.Subject.DivisionCode), ("$category", (int)p.Category), ("$year", Year(p.DecisionDate)), ("$date", p.DecisionDate),
                        ("$until", p.PublishedUntil), ("$authority", p.DecidingAuthority?.Name ?? ""));
                    Execute(connection, transaction, "INSERT INTO listing_search (rowid, subject_name, credit_code) SELECT id, subject_name, credit_code FROM publication WHERE record_id = $id",
                        ("$id", change.RecordId));
                    break;
                case PublicationChangeKind.Withdrawn:
                    Execute(connection, transaction, "DELETE FROM listing_search WHERE rowid = (SELECT id FROM publication WHERE record_id = $id)", ("$id", change.RecordId));
                    Execute(connection, transaction, "DELETE FROM publication WHERE record_id = $id", ("$id", change.RecordId));
                    Execute(connection, transaction, "DELETE FROM public_form WHERE record_id = $id", ("$id", change.RecordId));
                    Execute(connection, transaction, "INSERT OR REPLACE INTO withdrawal (record_id, sequence) VALUES ($id, $seq)", ("$id", change.RecordId), ("$seq", change.Sequence));
                    break;
                default:
                    throw new InvalidOperationException($"Unknown publication change kind {change.Kind} at sequence {change.Sequence}.");
            }
        }

        Execute(connection, transaction, "UPDATE position SET after_sequence = $after WHERE id = 1", ("$after", nextAfterSequence));
        transaction.Commit();
        Volatile.Write(ref _years, null);
    }

    /// <summary>The subject's published name: a government body's in full, a civil servant's masked.</summary>
    public static string SubjectName(PublicRecord record) =>
        record.Subject.KindCase switch
        {
            PublicSubject.KindOneofCase.GovernmentBody => record.Subject.GovernmentBody.Name,
            PublicSubject.KindOneofCase.CivilServant => record.Subject.CivilServant.MaskedName,
            _ => "",
        };

    private static int Year(string date) => date.Length >= 4 && int.TryParse(date.AsSpan(0, 4), CultureInfo.InvariantCulture, out var y) ? y : 0;

    /// <summary>A record's public form, or that it was withdrawn. A record past its last day of publication counts as withdrawn.</summary>
    public MirrorEntry Find(string recordId, string today)
    {
        using var connection = Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT f.form, p.published_until, p.sequence FROM publication p JOIN public_form f ON f.record_id = p.record_id WHERE p.record_id = $id";
            command.Parameters.AddWithValue("$id", recordId);
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                var until = reader.GetString(1);
                return until.Length > 0 && string.CompareOrdinal(until, today) < 0
                    ? new MirrorEntry.Withdrawn(reader.GetInt64(2))
                    : new MirrorEntry.Listed(PublicRecord.Parser.ParseFrom((byte[])reader[0]));
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT sequence FROM withdrawal WHERE record_id = $id";
            command.Parameters.AddWithValue("$id", recordId);
            var sequence = command.ExecuteScalar();
            return sequence is null ? new MirrorEntry.Unknown() : new MirrorEntry.Withdrawn(Convert.ToInt64(sequence, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One page of the list today, newest decision first, and how many records match in all.</summary>
    /// <remarks>
    /// Fast at 100,000 records and more (tests/CreditExchange.Bench <c>public-site</c>): a name or credit-code search
    /// starts from the trigram index's candidates (the exact substring test is applied to them as well), a full code
    /// from the code index; otherwise the page walks the list's index in its order and stops at the page's end, and the
    /// count reads a narrow covering index (by region, or by category and year); the unfiltered count is all rows less
    /// those past their publication, both from small indexes.
    /// </remarks>
    public (IReadOnlyList<MirrorRow> Rows, int Total) Search(MirrorQuery query, string today)
    {
        var where = new List<string> { "(p.published_until = '' OR p.published_until >= $today)" };
        var parameters = new List<(string, object)> { ("$today", today) };
        var candidates = new List<string>();
        var name = query.Name?.Trim() ?? "";
        if (name.Length > 0)
        {
            where.Add("instr(p.subject_name, $name) > 0");
            parameters.Add(("$name", name));
            if (Trigram(name))
            {
                candidates.Add("subject_name LIKE '%' || $name || '%'");
            }
        }

        var code = query.CreditCode?.Trim().ToUpperInvariant() ?? "";
        var byCode = false;
        if (code.Length > 0)
        {
            parameters.Add(("$code", code));
            if (code.Length == 18)
            {
                where.Add("p.credit_code = $code"); // a whole code: codes are 18 characters, so a substring of one is the code
                byCode = true;
            }
            else
            {
                where.Add("instr(p.credit_code, $code) > 0");
                if (Trigram(code))
                {
                    candidates.Add("credit_code LIKE '%' || $code || '%'");
                }
            }
        }

        var byRegion = false;
        if (!string.IsNullOrWhiteSpace(query.Region))
        {
            var region = query.Region.Trim().TrimEnd('0') is { Length: > 0 } prefix ? prefix : query.Region.Trim();
            where.Add("p.division_code LIKE $region || '%'");
            parameters.Add(("$region", region));
            if (region.All(char.IsAsciiDigit))
            {
                // The same codes as a range the region index can seek (codes are digits, all below '~').
                where.Add("p.division_code >= $region AND p.division_code <= $region || '~'");
                byRegion = true;
            }
        }

        if (query.Category is { } category)
        {
            where.Add("p.category = $category");
            parameters.Add(("$category", category));
        }

        if (query.Year is { } year)
        {
            where.Add("p.decision_year = $year");
            parameters.Add(("$year", year));
        }

        var filter = string.Join(" AND ", where);
        using var connection = Open();

        // Few candidates: start from them. Many (a common word): the list's walk finds a page of them sooner.
        var fromCandidates = false;
        if (candidates.Count > 0)
        {
            using var probe = connection.CreateCommand();
            probe.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM listing_search WHERE {string.Join(" AND ", candidates)} LIMIT {CandidateLimit + 1})";
            Bind(probe, parameters);
            fromCandidates = Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) <= CandidateLimit;
        }

        var source = fromCandidates
            ? $"(SELECT rowid AS id FROM listing_search WHERE {string.Join(" AND ", candidates)}) AS hit CROSS JOIN publication p ON p.id = hit.id"
            : byCode ? "publication p INDEXED BY publication_code" : "publication p INDEXED BY publication_list";
        var countSource = fromCandidates || byCode ? source
            : name.Length > 0 || code.Length > 0 ? "publication p INDEXED BY publication_list"
            : byRegion ? "publication p INDEXED BY publication_region"
            : query.Category is not null || query.Year is not null ? "publication p INDEXED BY publication_filter"
            : where.Count == 1 ? null // only the publication period: all rows less those past it
            : "publication p INDEXED BY publication_list";
        var rows = new List<MirrorRow>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT p.record_id, p.subject_name, p.credit_code, p.division_code, p.category, p.decision_date, p.authority_name FROM {source}
                WHERE {filter} ORDER BY p.decision_date DESC, p.sequence DESC LIMIT $limit OFFSET $offset
                """;
            Bind(command, parameters);
            command.Parameters.AddWithValue("$limit", query.PageSize);
            command.Parameters.AddWithValue("$offset", (long)(query.Page - 1) * query.PageSize);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new MirrorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5), reader.GetString(6)));
            }
        }

        using var count = connection.CreateCommand();
        count.CommandText = countSource is null
            ? """
              SELECT (SELECT count(*) FROM publication INDEXED BY publication_year)
                   - (SELECT count(*) FROM publication INDEXED BY publication_until WHERE published_until <> '' AND published_until < $today)
              """
            : $"SELECT count(*) FROM {countSource} WHERE {filter}";
        Bind(count, parameters);
        return (rows, Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    private static void Bind(SqliteCommand command, IEnumerable<(string Name, object Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    /// <summary>Whether the trigram index can narrow a substring search: three characters or more, no LIKE wildcard.</summary>
    private static bool Trigram(string text) => text.Length >= 3 && text.IndexOfAny(['%', '_']) < 0;

    /// <summary>The decision years present on the list, newest first, for the year filter.</summary>
    public IReadOnlyList<int> Years()
    {
        if (Volatile.Read(ref _years) is { } known)
        {
            return known;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT decision_year FROM publication WHERE decision_year > 0 ORDER BY decision_year DESC";
        var years = new List<int>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            years.Add(reader.GetInt32(0));
        }

        Volatile.Write(ref _years, years);
        return years;
    }
}
