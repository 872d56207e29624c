namespace CreditExchange.Storage.Entities;

/// <summary>A connected department system and what it may do; seeded from configuration.</summary>
public sealed class AgencyEntity
{
    public required string Id { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>Certificate subject distinguished name that identifies the agency (may be null when only the URI is used).</summary>
    public string? CertificateSubject { get; set; }

    /// <summary>Certificate SAN URI that identifies the agency, e.g. urn:creditexchange:agency:court.</summary>
    public string? CertificateUri { get; set; }

    /// <summary>Record categories the agency may submit, comma-separated contract enum names.</summary>
    public required string Categories { get; set; }

    /// <summary>Domains the agency may submit in, comma-separated; empty means every domain.</summary>
    public required string Domains { get; set; }

    /// <summary>OAuth scopes its client may ask for, comma-separated (records.submit, records.read, …).</summary>
    public string Scopes { get; set; } = "";

    public bool MayQuery { get; set; }

    public bool Suspended { get; set; }

    /// <summary>SHA-256 thumbprint (lower-case hex) of the one certificate accepted; null accepts any certificate naming the agency.</summary>
    public string? PinnedThumbprint { get; set; }

    /// <summary>Bumped on every change, so that hub instances notice changes with one cheap query.</summary>
    public long Revision { get; set; }
}
