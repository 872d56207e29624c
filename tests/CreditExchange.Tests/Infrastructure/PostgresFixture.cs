namespace CreditExchange.Tests.Infrastructure;

/// <summary>
/// One <see cref="PostgresCluster"/> for the whole test run, shared by every test class in the "postgres" collection
/// (and by anyone else calling <see cref="GetSharedAsync"/>). It is stopped when the test process exits.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<PostgresCluster>> SharedCluster = new(PostgresCluster.StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresCluster? _cluster;

    /// <summary>The shared cluster; available once xunit has initialised the fixture.</summary>
    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    /// <summary>Connection string of the superuser to the <c>postgres</c> database of the shared cluster.</summary>
    public string AdminConnectionString => Cluster.AdminConnectionString;

    /// <summary>The cluster shared by the whole test process, started on first use.</summary>
    public static Task<PostgresCluster> GetSharedAsync() => SharedCluster.Value;

    /// <summary>Creates a fresh database on the shared cluster and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string? name = null) => Cluster.CreateDatabaseAsync(name);

    public async Task InitializeAsync() => _cluster = await GetSharedAsync().ConfigureAwait(false);

    // The cluster outlives any single collection; PostgresCluster stops it at process exit.
    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
