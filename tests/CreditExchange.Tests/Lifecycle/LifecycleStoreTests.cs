using CreditExchange.Domain.Lifecycle;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using CreditExchange.Domain.Records;

namespace CreditExchange.Tests.Lifecycle;

/// <summary>The store's start-up duties, on a private SQLite database: policy rows and records accepted before the lifecycle.</summary>
public sealed class LifecycleStoreTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private SqliteCreditDbContext _db = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new SqliteCreditDbContext(new DbContextOptionsBuilder<SqliteCreditDbContext>().UseSqlite(_connection).Options);
        await _db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task SeedPolicies_StoredVersionWithOtherTerms_Refused()
    {
        var store = new LifecycleStore(_db, new UnitOfWork(_db, NoCallAudit.Instance));
        await store.SeedPoliciesAsync([Policy("""{"general":12}""")], default);
        await store.SeedPoliciesAsync([Policy("""{"general":12}""")], default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SeedPoliciesAsync([Policy("""{"general":24}""")], default));
        Assert.Equal("""{"general":12}""", Assert.Single(_db.DisclosurePolicies.AsNoTracking()).Terms);
    }

    [Fact]
    public async Task BackfillLegacyRecords_PeriodsVersionOneAndEventAdded()
    {
        var acceptedAt = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var hash = new byte[32];
        _db.Records.Add(new RecordEntity
        {
            Id = Guid.NewGuid(),
            AgencyId = "court",
            SourceRecordId = "legacy-1",
            ContentHash = hash,
            SubjectKey = "111501000000000000",
            DivisionCode = "150102",
            Severity = (int)RecordSeverity.General,
            Status = (int)RecordStatus.Active,
            Version = 1,
            DecisionDate = new DateOnly(2026, 4, 15),
            AcceptedAt = acceptedAt,
            Content = [],
        });
        await _db.SaveChangesAsync();

        var done = await new LifecycleStore(_db, new UnitOfWork(_db, NoCallAudit.Instance)).BackfillLegacyRecordsAsync(
            r => new DisclosurePeriods("p", true, r.DecisionDate.AddMonths(3), r.DecisionDate.AddMonths(12)), default);
        var again = await new LifecycleStore(_db, new UnitOfWork(_db, NoCallAudit.Instance)).BackfillLegacyRecordsAsync(_ => throw new InvalidOperationException("nothing left"), default);

        var row = await _db.Records.AsNoTracking().SingleAsync();
        var version = await _db.RecordVersions.AsNoTracking().SingleAsync();
        var recordEvent = await _db.RecordEvents.AsNoTracking().SingleAsync();
        Assert.Equal((1, 0), (done, again));
        Assert.Equal(("p", new DateOnly(2026, 7, 15), new DateOnly(2027, 4, 15)), (row.PolicyVersion, row.DisclosureMinimumEnd, row.DisclosureMaximumEnd));
        Assert.Equal(hash, row.SubmittedContentHash);
        Assert.Equal((1L, (int)RecordChange.Submitted, acceptedAt), (version.Version, version.Change, version.ChangedAt));
        Assert.Equal((row.Id, 1L, (int)RecordChange.Submitted), (recordEvent.RecordId, recordEvent.Version, recordEvent.EventType));
    }

    private static DisclosurePolicyEntity Policy(string terms) => new()
    {
        Version = "p",
        EffectiveFrom = new DateOnly(2026, 4, 1),
        Title = "test",
        Terms = terms,
    };
}
