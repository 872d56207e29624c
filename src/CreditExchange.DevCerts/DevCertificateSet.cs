namespace CreditExchange.DevCerts;

/// <summary>
/// Paths of a development certificate set. Pure path arithmetic: constructing one does not touch the disk,
/// so the hub can locate material that <see cref="DevCertificateMinter.EnsureMinted"/> created earlier.
/// </summary>
/// <param name="Folder">Absolute folder that holds the set.</param>
/// <param name="AgencyIds">Agencies that have a client certificate in the set.</param>
public sealed record DevCertificateSet(string Folder, IReadOnlyList<string> AgencyIds)
{
    private const string AgenciesFolder = "agencies";
    private const string NegativeFolder = "negative";
    private const string StaffFolder = "staff";

    public string CaCertificate => Path.Combine(Folder, "ca.crt");

    public string CaKey => Path.Combine(Folder, "ca.key");

    public string ServerCertificate => Path.Combine(Folder, "server.crt");

    public string ServerKey => Path.Combine(Folder, "server.key");

    public string RevocationList => Path.Combine(Folder, "ca.crl");

    /// <summary>The development time-stamping authority's certificate (not part of <see cref="ExpectedFiles"/>: minted on its own, see <see cref="DevCertificateMinter.EnsureTsaMinted"/>).</summary>
    public string TsaCertificate => Path.Combine(Folder, "tsa.crt");

    public string TsaKey => Path.Combine(Folder, "tsa.key");

    public string AgenciesDirectory => Path.Combine(Folder, AgenciesFolder);

    public string NegativeDirectory => Path.Combine(Folder, NegativeFolder);

    public string StaffDirectory => Path.Combine(Folder, StaffFolder);

    /// <summary>The development staff certificate (<see cref="DevCertificateMinter.DevStaffId"/>) for the DRC dashboard.</summary>
    public string StaffCertificate => Path.Combine(Folder, StaffFolder, DevCertificateMinter.DevStaffId + ".crt");

    public string StaffKey => Path.Combine(Folder, StaffFolder, DevCertificateMinter.DevStaffId + ".key");

    public string AgencyCertificate(string agencyId)
    {
        DevCertificateMinter.ValidateAgencyId(agencyId);
        return Path.Combine(Folder, AgenciesFolder, agencyId + ".crt");
    }

    public string AgencyKey(string agencyId)
    {
        DevCertificateMinter.ValidateAgencyId(agencyId);
        return Path.Combine(Folder, AgenciesFolder, agencyId + ".key");
    }

    /// <summary>Certificate and key path of one of the <see cref="NegativeCertificateNames"/>.</summary>
    public (string Certificate, string Key) Negative(string name)
    {
        if (!NegativeCertificateNames.All.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown negative certificate name.");
        }

        return (Path.Combine(Folder, NegativeFolder, name + ".crt"), Path.Combine(Folder, NegativeFolder, name + ".key"));
    }

    /// <summary>Every file the set consists of; the CA certificate comes last because it is written last.</summary>
    public IEnumerable<string> ExpectedFiles()
    {
        yield return CaKey;
        yield return ServerCertificate;
        yield return ServerKey;
        foreach (var id in AgencyIds)
        {
            yield return AgencyCertificate(id);
            yield return AgencyKey(id);
        }

        yield return StaffCertificate;
        yield return StaffKey;
        foreach (var name in NegativeCertificateNames.All)
        {
            var (certificate, key) = Negative(name);
            yield return certificate;
            yield return key;
        }

        yield return RevocationList;
        yield return CaCertificate;
    }
}
