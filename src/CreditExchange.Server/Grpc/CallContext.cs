using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Records;
using DomainSubjectKind = CreditExchange.Domain.Records.SubjectKind;

namespace CreditExchange.Server.Grpc;

/// <summary>
/// What one call is about, resolved once and shared by the interceptors (rate limit, caller checks), the audit entry
/// and the services (one per request scope): the connection's client certificate, its SHA-256 thumbprint (hashed once), the agency
/// it names, and the keyed hashes of the subjects the call names (a civil servant's resident ID is hashed once per
/// call, not once by the audit and again by the service).
/// </summary>
public sealed class CallContext(AgencyRegistry registry, PersonalDataProtector protector)
{
    private readonly Dictionary<string, string> _subjectKeys = new(StringComparer.Ordinal);
    private X509Certificate2? _certificate;
    private bool _bound;
    private byte[]? _hash;
    private string? _thumbprint;
    private string? _x5t;
    private Agency? _named;
    private bool _namedResolved;

    private List<object>? _withAudit;

    /// <summary>
    /// Opens the call's rows to commit with its audit entry (<see cref="TryCommitWithAudit"/>): the audit interceptor does,
    /// for every call it will audit.
    /// </summary>
    public void AcceptRowsForAudit() => _withAudit ??= [];

    /// <summary>
    /// Hands over a row that the call's answer stands on (an appraisal check) to be committed in the same transaction
    /// as the call's audit entry, before the answer leaves the hub, and only if the call succeeds: one commit instead
    /// of two. False when the call is not audited; the caller then writes the row itself.
    /// </summary>
    public bool TryCommitWithAudit(object row)
    {
        if (_withAudit is null)
        {
            return false;
        }

        _withAudit.Add(row);
        return true;
    }

    /// <summary>The rows handed over by <see cref="TryCommitWithAudit"/>.</summary>
    public IReadOnlyList<object> RowsForAudit => _withAudit ?? [];

    /// <summary>Binds the context to its call's connection (the first binding wins; later ones are no-ops).</summary>
    public CallContext Bind(HttpContext http)
    {
        if (!_bound)
        {
            _certificate = http.Connection.ClientCertificate;
            _bound = true;
        }

        return this;
    }

    public X509Certificate2? Certificate => _certificate;

    /// <summary>SHA-256 thumbprint of the client certificate, lower-case hex; null without one.</summary>
    public string? Thumbprint => _thumbprint ??= CertificateHash is { } hash ? Convert.ToHexStringLower(hash) : null;

    /// <summary>The same thumbprint as an access token's <c>cnf</c> claim carries it (<c>x5t#S256</c>: base64url, RFC 8705).</summary>
    public string? ConfirmationThumbprint => _x5t ??= CertificateHash is { } hash ? Base64Url.EncodeToString(hash) : null;

    private byte[]? CertificateHash => _hash ??= _certificate?.GetCertHash(HashAlgorithmName.SHA256);

    /// <summary>The registered agency the certificate names, whether or not the agency pins another certificate (for audit and limits).</summary>
    public Agency? NamedAgency
    {
        get
        {
            if (!_namedResolved)
            {
                _named = _certificate is null ? null : registry.FindByCertificate(_certificate, ignorePin: true);
                _namedResolved = true;
            }

            return _named;
        }
    }

    /// <summary>The agency the certificate names, when it accepts this certificate (no pin, or pinned to this one); the caller checks' agency.</summary>
    public Agency? AcceptedAgency => NamedAgency is { } agency && registry.Accepts(agency, Thumbprint!) ? agency : null;

    /// <summary>The keyed hash of a (normalised) identifier (<see cref="PersonalDataProtector.SubjectKey"/>), computed once per call.</summary>
    public string SubjectKey(string identifier)
    {
        lock (_subjectKeys)
        {
            if (!_subjectKeys.TryGetValue(identifier, out var key))
            {
                key = protector.SubjectKey(identifier);
                _subjectKeys[identifier] = key;
            }

            return key;
        }
    }

    /// <summary>The key a record's subject is stored under (<see cref="PersonalDataProtector.RecordSubjectKey"/>), from this call's hashes.</summary>
    public string RecordSubjectKey(DomainSubjectKind kind, string identifier) => PersonalDataProtector.RecordSubjectKey(kind, identifier, SubjectKey);

    /// <summary>The stored lookup key of a subject named in a request, from this call's hashes.</summary>
    public string StoredKey(SubjectKey key) => RecordSubjectKey(RecordSubjects.Kind(key), RecordSubjects.Identifier(key));
}
