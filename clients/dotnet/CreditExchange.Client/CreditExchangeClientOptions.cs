using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Client;

/// <summary>How an agency system reaches the hub. Give the certificate either as PEM files or as an X509Certificate2 with its key.</summary>
public sealed class CreditExchangeClientOptions
{
    /// <summary>The hub's address, e.g. https://localhost:5443. Required.</summary>
    public Uri? Address { get; set; }

    /// <summary>The agency id the hub registered (the OAuth client_id), e.g. "court". Required.</summary>
    public string? AgencyId { get; set; }

    /// <summary>The agency's client certificate with its private key; or use <see cref="CertificatePath"/> and <see cref="KeyPath"/>.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>PEM file of the agency's client certificate.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file of the certificate's private key (PKCS#8 or PKCS#1, unencrypted).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The hub's CA certificate: the only root trusted for the hub's server certificate (the OS store is never used).</summary>
    public X509Certificate2? HubCa { get; set; }

    /// <summary>PEM file of the hub's CA certificate, used when <see cref="HubCa"/> is not set.</summary>
    public string? HubCaPath { get; set; }

    /// <summary>OAuth scopes to ask for; empty asks for every scope the agency is granted.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>Deadline of a call made without one. Default 30 seconds.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of an idempotent call, the first included (gRPC retry policy, at most 5). Default 4; 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Items per SubmitRecords stream sent by the batch helper (the hub's Hub:MaxBatchItems, 1,000 by default).</summary>
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Bytes per SubmitRecords stream sent by the batch helper (the hub accepts 64 MiB; this leaves room).</summary>
    public long MaxBatchBytes { get; set; } = 60L * 1024 * 1024;

    /// <summary>Largest message the client accepts; large candidate-list answers can exceed gRPC's 4 MiB default. Default 64 MiB.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// HTTP/2 keep-alive: a ping after this long without a frame while a call is open (feed streams run for
    /// days), so a dead network path is noticed. Default 30 seconds.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose keep-alive ping is not answered within this long is closed (its calls fail with UNAVAILABLE). Default 15 seconds.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    internal void Validate()
    {
        if (Address is null || !string.Equals(Address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Address must be the hub's https:// address.", nameof(Address));
        }

        if (string.IsNullOrWhiteSpace(AgencyId))
        {
            throw new ArgumentException("AgencyId (the OAuth client_id the hub registered) is required.", nameof(AgencyId));
        }

        if (ClientCertificate is null && (CertificatePath is null || KeyPath is null))
        {
            throw new ArgumentException("Give ClientCertificate, or CertificatePath and KeyPath.", nameof(ClientCertificate));
        }

        if (HubCa is null && HubCaPath is null)
        {
            throw new ArgumentException("Give HubCa or HubCaPath: the hub's CA is pinned, the OS trust store is not used.", nameof(HubCa));
        }

        if (MaxAttempts is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "gRPC retry policies allow 1 to 5 attempts.");
        }
    }
}
