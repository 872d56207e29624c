using System.Security.Cryptography.X509Certificates;
using CreditExchange.DevCerts;

namespace CreditExchange.Tests.Hub;

/// <summary>One development certificate set for the whole test run, minted fresh in a temp folder.</summary>
public static class TestCertificates
{
    public static readonly IReadOnlyList<string> AgencyIds =
        ["supervision", "court", "procuratorate", "organization", "hrss", "finance", "trading-center", "housing", "natural-resources", "water-resources", "commerce", "drc"];

    /// <summary>An agency certificate issued by our CA but not in the hub's agency registry.</summary>
    public const string UnregisteredAgency = "unregistered";

    private static readonly Lazy<DevCertificateSet> Lazy = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "creditexchange-tests-certs-" + Environment.ProcessId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return DevCertificateMinter.EnsureMinted(folder, [.. AgencyIds, UnregisteredAgency], TimeProvider.System);
    });

    public static DevCertificateSet Set => Lazy.Value;

    public static X509Certificate2 Agency(string id) =>
        DevCertificateMinter.LoadWithKey(Set.AgencyCertificate(id), Set.AgencyKey(id));

    public static X509Certificate2 Negative(string name)
    {
        var (crt, key) = Set.Negative(name);
        return DevCertificateMinter.LoadWithKey(crt, key);
    }

    /// <summary>RSA keys that sign and encrypt access tokens, shared by every hub of the run (as by every instance in production).</summary>
    public static string TokenSigningKey => TokenKey("signing.key");

    public static string TokenEncryptionKey => TokenKey("encryption.key");

    private static string TokenKey(string name)
    {
        var path = Path.Combine(Set.Folder, "tokens", name);
        lock (Lazy)
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var rsa = System.Security.Cryptography.RSA.Create(2048);
                File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            }
        }

        return path;
    }

    public static X509Certificate2 Ca() => X509CertificateLoader.LoadCertificateFromFile(Set.CaCertificate);
}
