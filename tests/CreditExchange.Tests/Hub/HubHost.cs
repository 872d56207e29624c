using System.Net.Security;
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

    private HubHost(WebApplication app, string? sqliteFolder, string? postgres)
    {
        _app = app;
        _sqliteFolder = sqliteFolder;
        _postgres = postgres;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a hub on PostgreSQL (connection string given) or on a new SQLite file (null).</summary>
    public static async Task<HubHost> StartAsync(string? postgresConnectionString, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var certs = TestCertificates.Set;
        string? sqliteFolder = null;
        var config = new Dictionary<string, string?>
        {
            ["Hub:Url"] = "https://127.0.0.1:0",
            ["Hub:Tls:CaCertificate"] = certs.CaCertificate,
            ["Hub:Tls:ServerCertificate"] = certs.ServerCertificate,
            ["Hub:Tls:ServerKey"] = certs.ServerKey,
            ["Hub:Tls:RevocationList"] = certs.RevocationList,
            ["Logging:LogLevel:Default"] = "Warning",
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
            });
        await app.StartAsync();
        return new HubHost(app, sqliteFolder, postgresConnectionString);
    }

    /// <summary>A channel that presents <paramref name="clientCertificate"/> (or none) and trusts only the test CA.</summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate)
    {
        var ca = TestCertificates.Ca();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsTo(new X509Certificate2(certificate), ca),
            },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 64 * 1024 * 1024 });
        _channels.Add(channel);
        return channel;
    }

    public RecordService.RecordServiceClient Records(string agencyId) =>
        new(Channel(TestCertificates.Agency(agencyId)));

    public RecordService.RecordServiceClient Records(X509Certificate2? certificate) => new(Channel(certificate));

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

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_postgres is not null)
        {
            // Each test has its own database: its idle pooled connections would otherwise linger
            // (Npgsql prunes after minutes) and exhaust the test cluster's max_connections.
            using var connection = new Npgsql.NpgsqlConnection(_postgres);
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
