using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Tests.Architecture;

/// <summary>The model the hub runs is the one its migrations build, for both providers: no change awaits a migration.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Postgres_ModelHasNoPendingChanges()
    {
        using var db = new PostgresCreditDbContext(new DbContextOptionsBuilder<PostgresCreditDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Sqlite_ModelHasNoPendingChanges()
    {
        using var db = new SqliteCreditDbContext(new DbContextOptionsBuilder<SqliteCreditDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
