using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Settings;

/// <summary>Settings of the hub, section "Hub". Validated at start-up.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>Where Kestrel listens; HTTPS only (HTTP/2 over TLS).</summary>
    [Required]
    public string Url { get; set; } = "https://localhost:5443";

    public TlsOptions Tls { get; set; } = new();

    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    [ValidateObjectMembers]
    public TokenOptions Tokens { get; set; } = new();

    public ManagementOptions Management { get; set; } = new();

    [ValidateObjectMembers]
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Largest request message accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most items accepted in one SubmitRecords stream.</summary>
    [Range(1, 100_000)]
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Most bytes of items accepted in one SubmitRecords stream (the batch is held in memory until committed).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBatchBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Operator override: unified social credit codes known to fail their check characters
    /// (early pilot codes) that are nevertheless accepted. Everything else must pass.
    /// </summary>
    public List<string> AcceptedNonconformingCreditCodes { get; set; } = [];
}

/// <summary>Validates <see cref="HubOptions"/> and every nested section (source-generated from the annotations).</summary>
[OptionsValidator]
public sealed partial class HubOptionsValidator : IValidateOptions<HubOptions>;

public sealed class TlsOptions
{
    /// <summary>
    /// Folder of development certificates, minted there when missing. Used when
    /// <see cref="CaCertificate"/> is empty; refused in Production. Relative to the repository root.
    /// </summary>
    public string DevCertificatesFolder { get; set; } = "certs-dev";

    /// <summary>PEM file of the CA that issues agency certificates: the only trust anchor.</summary>
    public string? CaCertificate { get; set; }

    public string? ServerCertificate { get; set; }

    public string? ServerKey { get; set; }

    /// <summary>PEM or DER CRL signed by the CA; revoked agency certificates are refused in the handshake.</summary>
    public string? RevocationList { get; set; }
}

public sealed class StorageOptions
{
    /// <summary>SQLite file used when no PostgreSQL connection string is configured.</summary>
    public string SqlitePath { get; set; } = "data/creditexchange.db";

    /// <summary>
    /// PostgreSQL: how often an idempotent read (a query outside any transaction) is retried inside
    /// the hub after a transient failure before the caller gets UNAVAILABLE. 0 disables the retries.
    /// </summary>
    [Range(0, 10)]
    public int ReadRetryCount { get; set; } = 3;

    /// <summary>PostgreSQL: the longest wait between two such retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ReadRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PostgreSQL: how many statements Npgsql prepares on each connection once used twice (its
    /// <c>Max Auto Prepare</c>), so that the server parses and plans the hub's frequent queries once
    /// per connection rather than once per call. Applies unless the connection string sets
    /// <c>Max Auto Prepare</c> itself; 0 disables it (e.g. behind a PgBouncer older than 1.21 in transaction mode).
    /// </summary>
    [Range(0, 1000)]
    public int AutoPrepare { get; set; } = 100;
}

public sealed class TokenOptions
{
    /// <summary>
    /// Issuer of access tokens, e.g. https://creditexchange.example.gov.cn/: set it to the address
    /// clients use when several hub instances sit behind one address. Empty means <see cref="HubOptions.Url"/>.
    /// Either way it is fixed, so a token works whatever authority a client sends and on every instance.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Lifetime of access tokens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// PEM file of the RSA key that signs access tokens. Persisted (never an ephemeral key) so
    /// tokens survive a restart and are accepted by every instance given the same file. Minted
    /// into the development certificates folder when empty outside Production.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM file of the RSA key that encrypts access tokens; as <see cref="SigningKey"/>.</summary>
    public string? EncryptionKey { get; set; }
}

public sealed class ManagementOptions
{
    /// <summary>
    /// Plain-HTTP address of the management endpoints (liveness, readiness, Prometheus metrics),
    /// without TLS or client certificates, for load balancers, systemd and Kubernetes probes and
    /// scrapers. Keep it on a private interface; empty disables it. Only those endpoints answer there.
    /// </summary>
    public string? Url { get; set; } = "http://127.0.0.1:5480";
}

public sealed class TelemetryOptions
{
    /// <summary>
    /// OTLP collector address for traces, metrics and logs, e.g. http://otel-collector:4318 (HTTP) or
    /// http://otel-collector:4317 (gRPC); empty exports nothing (Prometheus text stays on the management port).
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Logs as one JSON object a line on the console, with the trace and span ids of the call.</summary>
    public bool JsonConsoleLogs { get; set; }

    /// <summary>The service.name resource attribute.</summary>
    [Required]
    public string ServiceName { get; set; } = "creditexchange-hub";
}
