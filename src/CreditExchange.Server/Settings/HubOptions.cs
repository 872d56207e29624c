using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Settings;

/// <summary>Settings of the hub, section "Hub". Validated at start-up.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    [Description("Where Kestrel listens; HTTPS only (HTTP/2 over TLS).")]
    [Required]
    public string Url { get; set; } = "https://localhost:5443";

    public TlsOptions Tls { get; set; } = new();

    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    [ValidateObjectMembers]
    public TokenOptions Tokens { get; set; } = new();

    public ManagementOptions Management { get; set; } = new();

    [ValidateObjectMembers]
    public OpenDataOptions OpenData { get; set; } = new();

    [ValidateObjectMembers]
    public TelemetryOptions Telemetry { get; set; } = new();

    [Description("Largest request message accepted, in bytes.")]
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    [Description("Most items accepted in one SubmitRecords stream.")]
    [Range(1, 100_000)]
    public int MaxBatchItems { get; set; } = 1000;

    [Description("Most bytes of items accepted in one SubmitRecords stream (the batch is held in memory until committed).")]
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBatchBytes { get; set; } = 64L * 1024 * 1024;

    [Description("Operator override: unified social credit codes known to fail their check characters (early pilot codes) that are nevertheless accepted. Everything else must pass.")]
    public List<string> AcceptedNonconformingCreditCodes { get; set; } = [];
}

/// <summary>Validates <see cref="HubOptions"/> and every nested section (source-generated from the annotations).</summary>
[OptionsValidator]
public sealed partial class HubOptionsValidator : IValidateOptions<HubOptions>;

public sealed class TlsOptions
{
    [Description("Folder of development certificates, minted there when missing. Used when CaCertificate is empty; refused in Production. Relative to the repository root.")]
    public string DevCertificatesFolder { get; set; } = "certs-dev";

    [Description("PEM file of the CA that issues agency certificates: the only trust anchor.")]
    public string? CaCertificate { get; set; }

    [Description("PEM file of the hub's server certificate (its SAN names the address clients use).")]
    public string? ServerCertificate { get; set; }

    [Description("PEM file of the server certificate's private key.")]
    public string? ServerKey { get; set; }

    [Description("PEM or DER CRL signed by the CA; revoked agency certificates are refused in the handshake.")]
    public string? RevocationList { get; set; }
}

public sealed class StorageOptions
{
    [Description("SQLite file used when no PostgreSQL connection string is configured.")]
    public string SqlitePath { get; set; } = "data/creditexchange.db";

    [Description("PostgreSQL: how often an idempotent read (a query outside any transaction) is retried inside the hub after a transient failure before the caller gets UNAVAILABLE. 0 disables the retries.")]
    [Range(0, 10)]
    public int ReadRetryCount { get; set; } = 3;

    [Description("PostgreSQL: the longest wait between two such retries.")]
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ReadRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Description("PostgreSQL: how many statements Npgsql prepares on each connection once used twice (its `Max Auto Prepare`), so that the server parses and plans the hub's frequent queries once per connection rather than once per call. Applies unless the connection string sets `Max Auto Prepare` itself; 0 disables it (e.g. behind a PgBouncer older than 1.21 in transaction mode).")]
    [Range(0, 1000)]
    public int AutoPrepare { get; set; } = 100;
}

public sealed class TokenOptions
{
    [Description("Issuer of access tokens, e.g. https://creditexchange.example.gov.cn/: set it to the address clients use when several hub instances sit behind one address. Empty means Hub:Url. Either way it is fixed, so a token works whatever authority a client sends and on every instance.")]
    public string? Issuer { get; set; }

    [Description("Lifetime of access tokens.")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    [Description("PEM file of the RSA key that signs access tokens. Persisted (never an ephemeral key) so tokens survive a restart and are accepted by every instance given the same file. Minted into the development certificates folder when empty outside Production.")]
    public string? SigningKey { get; set; }

    [Description("PEM file of the RSA key that encrypts access tokens; as SigningKey.")]
    public string? EncryptionKey { get; set; }
}

public sealed class ManagementOptions
{
    [Description("Address of the management endpoints (`/healthz/live`, `/healthz/ready`, `/metrics`) for probes and scrapers; empty disables them. `http://` needs no certificate: keep it on loopback or a private interface (the hub warns at start-up when it is bound beyond loopback without a token or TLS). `https://` serves them with the hub's server certificate and requires a client certificate issued by the hub's CA (see ClientCertificateSubjects). Only those endpoints answer there, and none of them on Hub:Url.")]
    public string? Url { get; set; } = "http://127.0.0.1:5480";

    [Description("File holding the bearer token that `/metrics` then requires (`Authorization: Bearer <token>`); the health endpoints stay open to probes (they say only up or down). Empty: no token.")]
    public string? BearerTokenFile { get; set; }

    [Description("With an `https://` Url: the subjects (e.g. `CN=prometheus, O=Example`) of the client certificates accepted there; empty accepts any certificate the hub's CA issued (agencies' included).")]
    public List<string> ClientCertificateSubjects { get; set; } = [];
}

/// <summary>The open figures for third parties (seed clause 四(三)): docs/open-data.md.</summary>
public sealed class OpenDataOptions
{
    [Description("Address of the open-data API (`/open-data/v1/...`: aggregate counts of public records and published evaluations, JSON) for third parties; empty disables it. Its own listener, without client certificates: `https://` serves it with the hub's server certificate, `http://` in the clear (behind a TLS-terminating proxy). Nothing else answers there, and the open-data paths answer nowhere else: gRPC keeps mutual TLS on Hub:Url.")]
    public string Url { get; set; } = "";

    [Description("Smallest record count an open-data cell shows; smaller non-zero counts are suppressed (with complementary suppression so that totals do not reveal them).")]
    [Range(2, 1000)]
    public int MinimumCellCount { get; set; } = 5;

    [Description("Open-data requests allowed per client address per window; further requests get 429 with Retry-After.")]
    [Range(1, 100_000)]
    public int PermitsPerWindow { get; set; } = 60;

    [Description("The open-data rate-limit window.")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    [Description("Addresses (`10.0.0.5`) or networks (`10.0.0.0/8`) of the reverse proxies in front of the open-data listener. A request from one of them is rate-limited by the client address its `X-Forwarded-For` names (the nearest address not itself a trusted proxy); from anywhere else the header is ignored. Empty: every request is limited by the address that connected.")]
    public List<string> TrustedProxies { get; set; } = [];

    [Description("How long clients and proxies may cache an open-data answer (Cache-Control max-age); answers carry an ETag either way.")]
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class TelemetryOptions
{
    [Description("OTLP collector address for traces, metrics and logs, e.g. http://otel-collector:4318 (HTTP) or http://otel-collector:4317 (gRPC); empty exports nothing (Prometheus text stays on the management port).")]
    public string? OtlpEndpoint { get; set; }

    [Description("Logs as one JSON object a line on the console, with the trace and span ids of the call.")]
    public bool JsonConsoleLogs { get; set; }

    [Description("The service.name resource attribute.")]
    [Required]
    public string ServiceName { get; set; } = "creditexchange-hub";
}
