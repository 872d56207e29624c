using System.Diagnostics;
using System.Globalization;
using CreditExchange.Bench.Seeding;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.DevCerts;
using CreditExchange.Domain.Records;
using CreditExchange.Tests.Hub;
using Google.Rpc;
using Grpc.Core;
using static CreditExchange.Bench.Load.DriverLog;

namespace CreditExchange.Bench.Load;

/// <summary>
/// Keeps submitting fresh records through a hub address (a load balancer in front of several hubs) for a while, as
/// agency systems would while the hubs or the database are being failed over: each client has its own connection,
/// retries a refused submission with the same source id (a retry never duplicates), and moves on after a few tries.
/// Every acknowledged submission is written to the acknowledgements file as it is answered, every failure to the
/// errors file, so the caller can check afterwards that nothing acknowledged was lost and what callers saw, when.
/// </summary>
public static class SubmissionDriver
{
    private const int Attempts = 5;

    public static async Task<int> RunAsync(Uri address, string certificatesFolder, TimeSpan duration, int clients, string acknowledgements, string errors)
    {
        using var target = new HubTarget(address, new DevCertificateSet(Path.GetFullPath(certificatesFolder), TestCertificates.AgencyIds));
        var data = new SeedData(0, ChinaCalendar.Today(TimeProvider.System), Guid.NewGuid().ToString("N")[..8]);
        await using var acks = new StreamWriter(acknowledgements, append: false) { AutoFlush = true };
        await using var failures = new StreamWriter(errors, append: false) { AutoFlush = true };
        long next = 0, acknowledged = 0, duplicates = 0, failed = 0, givenUp = 0;
        var clock = Stopwatch.StartNew();

        async Task ClientAsync()
        {
            var client = new RecordService.RecordServiceClient(target.Channel(Scenarios.Writer));
            while (clock.Elapsed < duration)
            {
                var request = data.Fresh(Interlocked.Increment(ref next));
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var response = await client.SubmitRecordAsync(
                            request, await target.HeadersAsync(Scenarios.Writer), DateTime.UtcNow.AddSeconds(10));
                        Interlocked.Increment(ref acknowledged);
                        if (response.Duplicate)
                        {
                            Interlocked.Increment(ref duplicates);
                        }

                        Write(acks, $"{Now()}\t{request.SourceRecordId}\t{response.Record.RecordId}\t{(response.Duplicate ? "duplicate" : "new")}");
                        break;
                    }
                    catch (Exception e) when (e is RpcException or HttpRequestException or InvalidOperationException or IOException)
                    {
                        Interlocked.Increment(ref failed);
                        var (status, reason) = e is RpcException rpc
                            ? (rpc.StatusCode.ToString(), rpc.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "-")
                            : ("TOKEN_REQUEST_FAILED", e.GetType().Name);
                        Write(failures, $"{Now()}\t{status}\t{reason}\t{request.SourceRecordId}\t{attempt}\t{Detail(e)}");
                        if (attempt == Attempts)
                        {
                            Interlocked.Increment(ref givenUp);
                            break;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync)));
        Console.WriteLine(
            $"acknowledged={acknowledged} duplicates={duplicates} failed_attempts={failed} given_up={givenUp} seconds={clock.Elapsed.TotalSeconds:0.0}");
        return acknowledged > 0 ? 0 : 1;
    }
}
