using CreditExchange.DevCerts;
using CreditExchange.DevTsa;
using CreditExchange.Tests.Hub;

namespace CreditExchange.Tests.Infrastructure;

/// <summary>
/// The development RFC 3161 time-stamping authority (src/CreditExchange.DevTsa) for a test: its certificate minted
/// into the run's development certificate set (issued by the test CA, id-kp-timeStamping), listening on a free
/// loopback port; it can be stopped and started again on that port.
/// </summary>
public static class TestTimestampAuthority
{
    private static readonly Lock Gate = new();

    /// <summary>The authority's certificate (PEM), to configure as Hub:Audit:TsaCertificate.</summary>
    public static string Certificate
    {
        get
        {
            lock (Gate)
            {
                DevCertificateMinter.EnsureTsaMinted(TestCertificates.Set, TimeProvider.System);
            }

            return TestCertificates.Set.TsaCertificate;
        }
    }

    /// <summary>Starts an authority of its own for the caller (dispose it to stop it).</summary>
    public static DevTimestampAuthority Start() => DevTimestampAuthority.Start(Certificate, TestCertificates.Set.TsaKey);

    /// <summary>The hub settings that point it at <paramref name="authority"/>, storing a checkpoint every second.</summary>
    public static Dictionary<string, string?> Settings(DevTimestampAuthority authority) => new()
    {
        ["Hub:Audit:CheckpointInterval"] = "00:00:01",
        ["Hub:Audit:TsaUrl"] = authority.Url.ToString(),
        ["Hub:Audit:TsaCertificate"] = Certificate,
        ["Hub:Audit:TsaTimeout"] = "00:00:02",
    };
}
