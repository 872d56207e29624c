using Npgsql;

namespace CreditExchange.Tests.Infrastructure;

public sealed class PostgresClusterTests
{
    [Fact]
    public async Task A_started_cluster_creates_separate_databases_and_is_removed_on_dispose()
    {
        var cluster = await PostgresCluster.StartAsync();
        string first;
        string second;
        try
        {
            first = await cluster.CreateDatabaseAsync();
            second = await cluster.CreateDatabaseAsync("Ledger-Tests");

            var firstName = new NpgsqlConnectionStringBuilder(first).Database;
            var secondName = new NpgsqlConnectionStringBuilder(second).Database;
            Assert.NotEqual(firstName, secondName);
            Assert.StartsWith("ledger_tests_", secondName, StringComparison.Ordinal);

            foreach (var connectionString in new[] { first, second })
            {
                Assert.Equal(1, await ScalarAsync<int>(connectionString, "select 1"));
                Assert.Contains("PostgreSQL", await ScalarAsync<string>(connectionString, "select version()"), StringComparison.Ordinal);
            }

            Assert.Equal(firstName, await ScalarAsync<string>(first, "select current_database()"));
            Assert.Equal(secondName, await ScalarAsync<string>(second, "select current_database()"));

            // Each database is empty and independent of the other.
            await ScalarAsync<int>(first, "create table only_in_first(id int); select 0");
            Assert.Equal(0L, await ScalarAsync<long>(second, "select count(*) from pg_tables where tablename = 'only_in_first'"));
            Assert.Equal(1L, await ScalarAsync<long>(first, "select count(*) from pg_tables where tablename = 'only_in_first'"));
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        if (cluster.IsLocal)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(first, "select 1"));
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

[Collection("postgres")]
public sealed class PostgresFixtureTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_shared_cluster_serves_fresh_databases()
    {
        Assert.Same(fixture.Cluster, await PostgresFixture.GetSharedAsync());

        var connectionString = await fixture.CreateDatabaseAsync("fixture");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version()", connection);
        Assert.Contains("PostgreSQL", (string)(await command.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }
}
