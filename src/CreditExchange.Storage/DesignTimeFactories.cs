using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditExchange.Storage;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCreditDbContext>
{
    public SqliteCreditDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCreditDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCreditDbContext>
{
    public PostgresCreditDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCreditDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
