using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CreditExchange.Receipts;

// creditexchange-verify bundle.zip --ca ca.crt --tsa tsa.crt [--allow-unstamped] [--allow-unprovable] [--json]
// Exit codes: 0 everything verifies, 1 a part fails ("FAILED <path>: <reason>"), 2 usage errors.
const string Usage = "usage: creditexchange-verify bundle.zip --ca ca.crt --tsa tsa.crt [--allow-unstamped] [--allow-unprovable] [--json]";
string? bundlePath = null;
var trust = new EvidenceTrust();
var json = false;
var caGiven = false;
var tsaGiven = false;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--ca" when i + 1 < args.Length:
                trust.Ca.ImportFromPemFile(args[++i]);
                caGiven = true;
                break;
            case "--tsa" when i + 1 < args.Length:
                trust.Tsa.ImportFromPemFile(args[++i]);
                tsaGiven = true;
                break;
            case "--allow-unstamped":
                trust.AllowUnstamped = true;
                break;
            case "--allow-unprovable":
                trust.AllowUnprovable = true;
                break;
            case "--json":
                json = true;
                break;
            case var a when !a.StartsWith("--", StringComparison.Ordinal) && bundlePath is null:
                bundlePath = a;
                break;
            default:
                return Fail($"unknown or incomplete argument '{args[i]}'");
        }
    }
}
catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
{
    return Fail(e.Message);
}

if (bundlePath is null || !caGiven || (!tsaGiven && !trust.AllowUnstamped) || trust.Ca.Count == 0)
{
    return Fail("a bundle, --ca and --tsa are required");
}

byte[] bundle;
try
{
    bundle = File.ReadAllBytes(bundlePath);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    return Fail(e.Message);
}

var result = EvidenceVerifier.Verify(bundle, trust);
if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        ok = result.Ok,
        record_id = result.RecordId,
        failed_part = result.FailedPart,
        reason = result.Reason,
        timeline = result.Timeline.Select(t => new { at = t.At.UtcDateTime.ToString("O"), kind = t.Kind, part = t.Part, description = t.Description }),
    }, new JsonSerializerOptions { WriteIndented = true }));
    if (!result.Ok)
    {
        Console.Error.WriteLine($"FAILED {result.FailedPart}: {result.Reason}");
    }
}
else
{
    Console.WriteLine($"Evidence of record {result.RecordId}");
    foreach (var item in result.Timeline)
    {
        Console.WriteLine($"  {item.At.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z  {item.Kind,-10} {item.Description}  [{item.Part}]");
    }

    Console.WriteLine(result.Ok ? "OK: every part verifies." : $"FAILED {result.FailedPart}: {result.Reason}");
}

return result.Ok ? 0 : 1;

static int Fail(string why)
{
    Console.Error.WriteLine($"creditexchange-verify: {why}");
    Console.Error.WriteLine(Usage);
    return 2;
}
