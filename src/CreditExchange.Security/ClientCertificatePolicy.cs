using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CreditExchange.Security;

/// <summary>
/// Decides whether a TLS client certificate may talk to the hub: it must chain to exactly our CA,
/// be inside its validity period, carry the clientAuth EKU and not be on our revocation list.
/// Thread-safe; evaluate every handshake.
/// </summary>
public sealed class ClientCertificatePolicy
{
    /// <summary>id-kp-clientAuth.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    // Problems that map to a more specific reason below; anything else in the chain means untrusted.
    private const X509ChainStatusFlags ExplainedLater = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotValidForUsage;

    private readonly X509Certificate2 _ca;
    private readonly Func<RevocationList?> _currentRevocationList;
    private readonly TimeProvider _time;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, Rechecked> _rechecked = [];

    /// <param name="caCertificate">The only trusted root. The caller keeps ownership.</param>
    /// <param name="currentRevocationList">Returns the current verified CRL, or <c>null</c> when none is configured.</param>
    /// <param name="time">Clock for validity and CRL freshness.</param>
    public ClientCertificatePolicy(X509Certificate2 caCertificate, Func<RevocationList?> currentRevocationList, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(caCertificate);
        ArgumentNullException.ThrowIfNull(currentRevocationList);
        ArgumentNullException.ThrowIfNull(time);

        var basicConstraints = caCertificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basicConstraints is not { CertificateAuthority: true })
        {
            throw new ArgumentException($"Certificate '{caCertificate.Subject}' is not a CA certificate.", nameof(caCertificate));
        }

        _ca = caCertificate;
        _currentRevocationList = currentRevocationList;
        _time = time;
    }

    public CertificateCheck Evaluate(X509Certificate2 clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);

        var now = _time.GetUtcNow();
        var subject = clientCertificate.Subject;

        var chainProblem = CheckChain(clientCertificate, now, out var chainFlags);
        if (chainProblem is not null)
        {
            return chainProblem;
        }

        // X509Certificate2.NotBefore/NotAfter are local time; compare in UTC.
        var notBefore = clientCertificate.NotBefore.ToUniversalTime();
        var notAfter = clientCertificate.NotAfter.ToUniversalTime();
        if (now.UtcDateTime < notBefore)
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.NotYetValid, $"Certificate '{subject}' is not valid before {notBefore:O}.");
        }

        if (now.UtcDateTime > notAfter)
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.Expired, $"Certificate '{subject}' expired at {notAfter:O}.");
        }

        if (!HasClientAuthEku(clientCertificate))
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.MissingClientAuthEku, $"Certificate '{subject}' lacks the clientAuth extended key usage.");
        }

        // The leaf is fine, so remaining time/usage problems sit on the CA.
        if ((chainFlags & ExplainedLater) != 0)
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.UntrustedChain, $"Certificate '{subject}': CA problem {chainFlags}.");
        }

        return CheckRevocation(clientCertificate, now);
    }

    /// <summary>
    /// What can change about a certificate accepted at the handshake while its connection stays open: its validity
    /// period and the current revocation list (a list loaded since, or one that went stale). The chain is not built
    /// again: the CA does not change while the hub runs. A certificate found valid stays so for the same list until
    /// the certificate or the list expires, so a connection's later calls cost a lookup (its certificate object is the
    /// same for all of them).
    /// </summary>
    public CertificateCheck Recheck(X509Certificate2 clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);

        var now = _time.GetUtcNow();
        var crl = _currentRevocationList();
        if (_rechecked.TryGetValue(clientCertificate, out var known) && ReferenceEquals(known.List, crl) && now < known.Until)
        {
            return CertificateCheck.Valid;
        }

        var notAfter = clientCertificate.NotAfter.ToUniversalTime();
        if (now.UtcDateTime > notAfter)
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.Expired, $"Certificate '{clientCertificate.Subject}' expired at {notAfter:O}.");
        }

        var check = CheckRevocation(clientCertificate, now);
        if (check.IsValid)
        {
            var until = new DateTimeOffset(notAfter, TimeSpan.Zero);
            _rechecked.AddOrUpdate(clientCertificate, new Rechecked(crl, crl?.NextUpdate is { } next && next < until ? next : until));
        }

        return check;
    }

    /// <summary>A certificate found valid under <see cref="List"/>, until the certificate or the list expires.</summary>
    private sealed record Rechecked(RevocationList? List, DateTimeOffset Until);

    private CertificateCheck? CheckChain(X509Certificate2 clientCertificate, DateTimeOffset now, out X509ChainStatusFlags flags)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);

        // Our own CRL is checked explicitly afterwards; the platform must not go online.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));

        try
        {
            chain.Build(clientCertificate);

            flags = X509ChainStatusFlags.NoError;
            foreach (var status in chain.ChainStatus)
            {
                flags |= status.Status;
            }

            var subject = clientCertificate.Subject;
            var unexplained = flags & ~ExplainedLater;
            if (unexplained != X509ChainStatusFlags.NoError)
            {
                return CertificateCheck.Invalid(CertificateCheckReasons.UntrustedChain, $"Certificate '{subject}' does not chain to the hub CA: {unexplained}.");
            }

            // Belt and braces: the chain must end at exactly our CA, and the client must not be the CA itself.
            var elements = chain.ChainElements;
            if (elements.Count < 2 || !elements[^1].Certificate.RawDataMemory.Span.SequenceEqual(_ca.RawDataMemory.Span))
            {
                return CertificateCheck.Invalid(CertificateCheckReasons.UntrustedChain, $"Certificate '{subject}' does not chain to the hub CA.");
            }

            return null;
        }
        finally
        {
            // Chain elements hold their own certificate copies; release them now rather than at finalisation.
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, clientCertificate) && !ReferenceEquals(element.Certificate, _ca))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static bool HasClientAuthEku(X509Certificate2 certificate)
    {
        // Chain building treats "no EKU" as "any usage"; we insist on an explicit clientAuth.
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                foreach (var oid in eku.EnhancedKeyUsages)
                {
                    if (oid.Value == ClientAuthenticationOid)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private CertificateCheck CheckRevocation(X509Certificate2 clientCertificate, DateTimeOffset now)
    {
        var crl = _currentRevocationList();
        if (crl is null)
        {
            return CertificateCheck.Valid;
        }

        var subject = clientCertificate.Subject;
        if (!crl.IsIssuedBy(_ca))
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.RevocationListMismatch, $"The revocation list was not issued by the hub CA; refusing '{subject}'.");
        }

        // A stale list may miss recent revocations, so fail closed like OpenSSL does.
        if (crl.NextUpdate is { } nextUpdate && now > nextUpdate)
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.RevocationListExpired, $"The revocation list expired at {nextUpdate:O}; refusing '{subject}'.");
        }

        if (crl.IsRevoked(clientCertificate))
        {
            return CertificateCheck.Invalid(CertificateCheckReasons.Revoked, $"Certificate '{subject}' (serial {clientCertificate.SerialNumber}) is revoked.");
        }

        return CertificateCheck.Valid;
    }
}
