using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.DevCerts;
using CreditExchange.Tests.Hub;
using Google.Rpc;
using Grpc.Core;
using static CreditExchange.Bench.Load.DriverLog;

namespace CreditExchange.Bench.Load;

/// <summary>
/// The feed side of tests/scale-out.sh: follows FeedService.Subscribe on one hub, called directly (not through the
/// load balancer), as an agency system would while the hubs and the database are failed over. When its stream ends
/// (the hub stops: status OK) or fails, or stays silent past three heartbeats, it subscribes again on the next hub
/// of its list, after the last sequence it received. It writes every event as it arrives to the events file
/// (receipt unix ms, sequence, record id, change, the hub's host:port) and every stream end and failure to the log file, so
/// the caller can check that it missed nothing, saw no sequence twice, and how soon events arrived. Runs until
/// SIGTERM/SIGINT or the duration, whichever comes first.
/// </summary>
public static class FeedFollowDriver
{
    private const int HeartbeatSeconds = 1;
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(3 * HeartbeatSeconds + 2);

    public static async Task<int> RunAsync(
        IReadOnlyList<Uri> addresses, string certificatesFolder, string agencyId, TimeSpan duration, string eventsFile, string logFile, string? readyFile)
    {
        var certificates = new DevCertificateSet(Path.GetFullPath(certificatesFolder), TestCertificates.AgencyIds);
        var targets = addresses.Select(a => new HubTarget(a, certificates)).ToList();
        var clients = targets.Select(t => new FeedService.FeedServiceClient(t.Channel(agencyId))).ToList();
        using var stop = new CancellationTokenSource(duration);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        await using var events = new StreamWriter(eventsFile, append: false) { AutoFlush = true };
        await using var log = new StreamWriter(logFile, append: false) { AutoFlush = true };

        long? position = null; // the last sequence received (or the first heartbeat's resume point); null: from now
        long received = 0, streams = 0, failures = 0, outOfOrder = 0;
        var hub = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            streams++;
            var request = new SubscribeRequest { HeartbeatSeconds = HeartbeatSeconds };
            if (position is { } after)
            {
                request.AfterSequence = after;
            }
            else
            {
                request.FromNow = true;
            }

            using var stream = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var started = Now();
            try
            {
                var headers = await targets[hub].HeadersAsync(agencyId);
                using var call = clients[hub].Subscribe(request, headers, cancellationToken: stream.Token);
                Write(log, $"{started}\tsubscribe\t{targets[hub].Address.Authority}\tafter={position?.ToString(CultureInfo.InvariantCulture) ?? "now"}");
                while (true)
                {
                    stream.CancelAfter(Stall);
                    if (!await call.ResponseStream.MoveNext(stream.Token))
                    {
                        Write(log, $"{Now()}\tended\t{targets[hub].Address.Authority}\tOK\t-\tthe hub ended the stream");
                        break;
                    }

                    var item = call.ResponseStream.Current;
                    if (item.Heartbeat is { } beat)
                    {
                        if (position is null)
                        {
                            position = beat.ResumeAfterSequence;
                            Write(log, $"{Now()}\tstart\t{targets[hub].Address.Authority}\tafter={position}");
                            if (readyFile is not null)
                            {
                                await File.WriteAllTextAsync(readyFile, $"{position}\n", CancellationToken.None);
                            }
                        }

                        continue;
                    }

                    var e = item.Event;
                    if (position is { } last && e.Sequence != last + 1)
                    {
                        outOfOrder++;
                    }

                    position = Math.Max(position ?? 0, e.Sequence);
                    received++;
                    events.WriteLine(string.Join('\t', Now(), e.Sequence.ToString(CultureInfo.InvariantCulture), e.RecordId, e.Change, targets[hub].Address.Authority));
                }
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                break;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or InvalidOperationException or IOException or OperationCanceledException)
            {
                failures++;
                var (status, reason) = e switch
                {
                    _ when stream.IsCancellationRequested => ("STALLED", $"silent for {Stall.TotalSeconds:0} s"),
                    RpcException rpc => (rpc.StatusCode.ToString(), rpc.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "-"),
                    _ => ("TOKEN_REQUEST_FAILED", e.GetType().Name),
                };
                Write(log, $"{Now()}\tfailed\t{targets[hub].Address.Authority}\t{status}\t{reason}\t{Detail(e)}");
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            // Resume on the next hub: the one this stream was on may be stopping, or still unable to reach the database.
            hub = (hub + 1) % targets.Count;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await events.FlushAsync(CancellationToken.None);
        targets.ForEach(t => t.Dispose());
        Console.WriteLine(
            $"events={received} last_sequence={position?.ToString(CultureInfo.InvariantCulture) ?? "-"} streams={streams} failed_streams={failures} "
            + $"out_of_order={outOfOrder} seconds={clock.Elapsed.TotalSeconds:0.0}");
        return 0;
    }
}
