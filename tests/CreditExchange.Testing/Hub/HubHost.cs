using System.Net;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Hosting;
using CreditExchange.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditExchange.Tests.Hub;

/// <summary>
/// The real hub in-process: Kestrel on a free loopback port, real TLS with the test CA, the
/// agency registry of appsettings.json, and either PostgreSQL or a fresh SQLite file.
/// </summary>
public sealed class HubHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _sqliteFolder;
    private readonly string? _postgres;
    private readonly List<GrpcChannel> _channels = [];
    private readonly Dictionary<string, (Task<string> Token, DateTimeOffset IssuedAt)> _tokens = [];

    private HubHost(WebApplication app, string? sqliteFolder, string? postgres)
    {
        _app = app;
        _sqliteFolder = sqliteFolder;
        _postgres = postgres;
        // The hub's listener is bound first, the management one (http or https) last.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Address = new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)));
        var management = addresses.Count > 1 ? addresses[^1] : null;
        ManagementAddress = management is null ? null : new Uri(management);
        // With Hub:OpenData:Url set (and the management listener, as the tests always have it), the open-data listener
        // is bound between the two.
        OpenDataAddress = addresses.Count > 2 ? new Uri(addresses[1]) : null;
    }

    /// <summary>The open-data address (no client certificate), when Hub:OpenData:Url is set.</summary>
    public Uri? OpenDataAddress { get; }

    public Uri Address { get; }

    /// <summary>The management address (health probes, metrics; plain HTTP unless configured https), when enabled.</summary>
    public Uri? ManagementAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a hub on PostgreSQL (connection string given) or on a new SQLite file (null); <paramref name="services"/> may add or replace services.</summary>
    public static async Task<HubHost> StartAsync(string? postgresConnectionString, IDictionary<string, string?>? settings = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var certs = TestCertificates.Set;
        string? sqliteFolder = null;
        var config = new Dictionary<string, string?>
        {
            ["Hub:Url"] = "https://127.0.0.1:0",
            ["Hub:Management:Url"] = "http://127.0.0.1:0",
            ["Hub:Tls:CaCertificate"] = certs.CaCertificate,
            ["Hub:Tls:ServerCertificate"] = certs.ServerCertificate,
            ["Hub:Tls:ServerKey"] = certs.ServerKey,
            ["Hub:Tls:RevocationList"] = certs.RevocationList,
            ["Logging:LogLevel:Default"] = "Warning",
            // A fixed issuer: tokens stay valid across a restart on another port, as behind a load balancer.
            ["Hub:Tokens:Issuer"] = "https://creditexchange.test/",
            ["Hub:Tokens:SigningKey"] = TestCertificates.TokenSigningKey,
            ["Hub:Tokens:EncryptionKey"] = TestCertificates.TokenEncryptionKey,
        };
        if (postgresConnectionString is null)
        {
            sqliteFolder = Directory.CreateTempSubdirectory("creditexchange-sqlite-").FullName;
            config["Hub:Storage:SqlitePath"] = Path.Combine(sqliteFolder, "hub.db");
            config["ConnectionStrings:Postgres"] = "";
        }
        else
        {
            config["ConnectionStrings:Postgres"] = postgresConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var app = await HubApp.BuildAsync(
            ["--environment=Development", "--contentRoot", AppContext.BaseDirectory],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(config);
                builder.Logging.ClearProviders();
                if (time is not null)
                {
                    // The domain clock (deadlines, periods, token lifetimes); certificates stay on the wall clock.
                    builder.Services.AddSingleton(time);
                }

                services?.Invoke(builder.Services);
            });
        await app.StartAsync();
        // Readiness waits for the start-up check that every sealed value opens; tests start where an operator would,
        // once it has run (whatever it found), so that a health check right after start sees the hub as it is.
        // Likewise the start-up expiry sweep: run late on a busy machine, it would sweep a record a test had just
        // submitted with a period already over (its version 2 where the test expects 1).
        var sealedData = app.Services.GetRequiredService<CreditExchange.Server.Privacy.SealedDataStatus>();
        var expiry = app.Services.GetServices<IHostedService>().OfType<CreditExchange.Server.Lifecycle.ExpiryService>().SingleOrDefault();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((!sealedData.CheckedOnce || expiry is { SweptOnce: false }) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return new HubHost(app, sqliteFolder, postgresConnectionString);
    }

    /// <summary>
    /// A channel that presents <paramref name="clientCertificate"/> (or none), trusts only the test
    /// CA, and sends <paramref name="token"/> (when given) as a bearer token on every call.
    /// </summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate, Func<Task<string>>? token = null)
    {
        HttpMessageHandler handler = Handler(clientCertificate);
        if (token is not null)
        {
            handler = new HubClient.BearerHandler(token) { InnerHandler = handler };
        }

        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 64 * 1024 * 1024 });
        _channels.Add(channel);
        return channel;
    }

    /// <summary>The channel of a registered agency: its certificate and an access token with all its scopes.</summary>
    public GrpcChannel AgencyChannel(string agencyId)
    {
        var certificate = TestCertificates.Agency(agencyId);
        return Channel(certificate, () => CachedTokenAsync(agencyId, certificate));
    }

    public RecordService.RecordServiceClient Records(string agencyId) => new(AgencyChannel(agencyId));

    public RecordService.RecordServiceClient Records(X509Certificate2? certificate) => new(Channel(certificate));

    /// <summary>A plain HTTPS client of the hub presenting <paramref name="certificate"/> and trusting only the test CA.</summary>
    public static HttpClient Http(X509Certificate2? certificate) => new(Handler(certificate));

    /// <summary>Asks /connect/token for a client-credentials token over mTLS; the raw HTTP answer.</summary>
    public Task<(HttpStatusCode Status, JsonDocument Body)> RequestTokenAsync(X509Certificate2? certificate, string clientId, string? scope = null) =>
        HubClient.RequestTokenAsync(Address, certificate, clientId, scope);

    /// <summary>An access token for the agency, with the given scopes (default: all it is granted).</summary>
    public Task<string> TokenAsync(string agencyId, string? scope = null, X509Certificate2? certificate = null) =>
        HubClient.TokenAsync(Address, agencyId, scope, certificate);

    /// <summary>
    /// One token per agency, renewed once half its lifetime has passed on the hub's clock, so
    /// tests that move a fake clock by months keep calling with a valid token.
    /// </summary>
    private Task<string> CachedTokenAsync(string agencyId, X509Certificate2 certificate)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(agencyId, out var cached) || now - cached.IssuedAt > TimeSpan.FromMinutes(5) || now < cached.IssuedAt)
            {
                cached = (TokenAsync(agencyId, certificate: certificate), now);
                _tokens[agencyId] = cached;
            }

            return cached.Token;
        }
    }

    /// <summary>A handler presenting <paramref name="clientCertificate"/> (or none) and trusting only the test CA.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2? clientCertificate) => HubClient.Handler(clientCertificate);

    /// <summary>Number of stored records, read straight from the database.</summary>
    public int CountRecords()
    {
        using var scope = _app.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<CreditDbContext>().Records.Count();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        string? effective = null;
        if (_postgres is not null)
        {
            // The hub adds settings of its own (Max Auto Prepare), so its pool is keyed by its own string.
            using var scope = _app.Services.CreateScope();
            effective = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetConnectionString(scope.ServiceProvider.GetRequiredService<CreditDbContext>().Database);
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var connectionString in new[] { _postgres, effective }.OfType<string>().Distinct())
        {
            // Each test has its own database: its idle pooled connections would otherwise linger
            // (Npgsql prunes after minutes) and exhaust the test cluster's max_connections.
            using var connection = new Npgsql.NpgsqlConnection(connectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
    }

    internal static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
