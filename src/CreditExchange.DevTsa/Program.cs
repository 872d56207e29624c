using System.Globalization;
using CreditExchange.DevCerts;
using CreditExchange.DevTsa;

// dotnet run --project src/CreditExchange.DevTsa -- [--certs certs-dev] [--port 3161]
// Mints certs-dev/tsa.crt (issued by the development CA, extended key usage id-kp-timeStamping, critical) when
// missing, then answers RFC 3161 time-stamp requests on http://127.0.0.1:<port>/ until stopped. Development only.
var folder = "certs-dev";
var port = 3161;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--certs":
            folder = args[i + 1];
            break;
        case "--port":
            port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}; usage: [--certs certs-dev] [--port 3161]");
            return 2;
    }
}

var set = new DevCertificateSet(Path.GetFullPath(folder), []);
if (!File.Exists(set.CaCertificate) || !File.Exists(set.CaKey))
{
    Console.Error.WriteLine($"No development CA in {set.Folder}: run certs-dev/mint.sh (or the hub once) first.");
    return 1;
}

DevCertificateMinter.EnsureTsaMinted(set, TimeProvider.System);
await using var authority = DevTimestampAuthority.Start(set.TsaCertificate, set.TsaKey, port);
Console.WriteLine($"Development time-stamping authority on {authority.Url} (certificate {set.TsaCertificate}); Ctrl+C stops it.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
return 0;
