using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Agencies;
using CreditExchange.Server.Privacy;
using CreditExchange.Server.Tokens;
using CreditExchange.Storage;
using DomainSubjectKind = CreditExchange.Domain.Records.SubjectKind;

namespace CreditExchange.Server.Calls;

/// <summary>
/// What one call is about, resolved once (one per request scope) and read by every part of the call pipeline (limits,
/// authorization, validation, audit, errors, metrics) and by the services: the method and its declared policy, the
/// connection's client certificate and its SHA-256 thumbprint (hashed once), the agency it names, the validated token,
/// the caller once authorized, the call's clock (one instant and one Beijing date for validation, acceptance and the
/// answer alike, so a call across midnight is judged on one day), the facts its audit entry will state, and the keyed
/// hashes of the subjects it names (a civil servant's resident ID is hashed once per call). Outside a call (start-up,
/// background work) the clock is fixed at its first read and nothing else is set.
/// </summary>
public sealed class CallContext(AgencyRegistry registry, PersonalDataProtector protector, TimeProvider time)
{
    private readonly Dictionary<string, string> _subjectKeys = new(StringComparer.Ordinal);
    private DateTimeOffset? _now;
    private byte[]? _hash;
    private string? _thumbprint;
    private string? _x5t;
    private Agency? _named;
    private bool _namedResolved;
    private Agency? _caller;
    private AuditFacts? _facts;

    /// <summary>The contract method being called; null outside a hub call (health, reflection, background work).</summary>
    public HubMethod? Method { get; private set; }

    /// <summary>The call's HTTP context; null outside a call.</summary>
    public HttpContext? Http { get; private set; }

    /// <summary>The connection's client certificate; null without one.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>SHA-256 of the request's SigningInput bytes (a signed write request, or one that could be signed); null for other calls.</summary>
    public byte[]? RequestSha256 { get; set; }

    /// <summary>The stored signature of the request (request_signatures), once the pipeline accepted it; null when unsigned.</summary>
    public long? RequestSignatureId { get; set; }

    /// <summary>The call's validated access token, once authorization has checked it.</summary>
    public ValidatedToken? Token { get; set; }

    /// <summary>Begins a call of <paramref name="method"/> on <paramref name="http"/>: binds the connection and fixes the clock.</summary>
    public void Begin(HttpContext http, HubMethod? method)
    {
        Http = http;
        Method = method;
        Certificate = http.Connection.ClientCertificate;
        _now ??= RecordHistory.Stored(time.GetUtcNow());
    }

    /// <summary>The call's instant (UTC, whole microseconds as the database keeps it): read once per call.</summary>
    public DateTimeOffset Now => _now ??= RecordHistory.Stored(time.GetUtcNow());

    /// <summary>The call's Beijing date: the "today" of validation, acceptance, standing and deadlines alike.</summary>
    public DateOnly Today => ChinaCalendar.DateOf(Now);

    /// <summary>SHA-256 thumbprint of the client certificate, lower-case hex; null without one.</summary>
    public string? Thumbprint => _thumbprint ??= CertificateHash is { } hash ? Convert.ToHexStringLower(hash) : null;

    /// <summary>The same thumbprint as an access token's <c>cnf</c> claim carries it (<c>x5t#S256</c>: base64url, RFC 8705).</summary>
    public string? ConfirmationThumbprint => _x5t ??= CertificateHash is { } hash ? Base64Url.EncodeToString(hash) : null;

    private byte[]? CertificateHash => _hash ??= Certificate?.GetCertHash(HashAlgorithmName.SHA256);

    /// <summary>The registered agency the certificate names, whether or not the agency pins another certificate (for audit, limits and metrics).</summary>
    public Agency? NamedAgency
    {
        get
        {
            if (!_namedResolved)
            {
                _named = Certificate is null ? null : registry.FindByCertificate(Certificate, ignorePin: true);
                _namedResolved = true;
            }

            return _named;
        }
    }

    /// <summary>The agency the certificate names, when it accepts this certificate (no pin, or pinned to this one).</summary>
    public Agency? AcceptedAgency => NamedAgency is { } agency && registry.Accepts(agency, Thumbprint!) ? agency : null;

    /// <summary>The agency making this call, once the pipeline has authorized it (certificate, token, scope).</summary>
    public Agency Agency
    {
        get => _caller ?? throw new InvalidOperationException("No authorized caller: the call has not passed the pipeline's authorization.");
        set => _caller = value;
    }

    /// <summary>What the call's audit entry will state about its content (records, subjects, purpose), gathered as it runs.</summary>
    public AuditFacts Facts => _facts ??= new AuditFacts(SubjectKey);

    /// <summary>Whether the call's audit entry is written: by its unit of work with its changes, or by the pipeline at its end.</summary>
    public bool AuditWritten { get; private set; }

    /// <summary>Marks the call's entry as written: nothing writes another one.</summary>
    public void MarkAuditWritten() => AuditWritten = true;

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
