using System.Collections.Concurrent;
using System.Diagnostics;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditExchange.Tests.Operations;

/// <summary>Traces, metrics and logs are produced, and none of them carries a resident ID or a name.</summary>
[Collection("postgres")]
public sealed class TelemetryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Telemetry_AfterCallsWithPersonalData_SeriesExposedAndNoResidentIdOrNameAnywhere()
    {
        var residentId = TestData.NewResidentId();
        const string Name = "欧阳测试者";
        var logs = new CapturingLoggerProvider();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var hub = await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync("telemetry"),
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Hub:Limits:TokenLimit"] = "40",
                ["Hub:Limits:TokensPerPeriod"] = "1",
                ["Hub:Limits:ReplenishmentPeriod"] = "00:01:00",
            },
            services: s => s.AddSingleton<ILoggerProvider>(logs));

        var subject = TestData.CivilServantSubject(residentId);
        subject.CivilServant.Name = Name;
        var court = hub.Records("court");
        var record = (await court.SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment, subject: subject))).Record;
        using (var batch = court.SubmitRecords())
        {
            await batch.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission(Category.JudicialJudgment, subject: subject) });
            await batch.RequestStream.CompleteAsync();
            await batch.ResponseAsync;
        }

        var drc = hub.Records("drc");
        await drc.GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });
        await drc.ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId } });
        await new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc")).GetCreditFileAsync(new GetCreditFileRequest { Subject = new SubjectKey { ResidentId = residentId } });
        await new AppraisalService.AppraisalServiceClient(hub.AgencyChannel("drc")).CheckCandidateAsync(new CheckCandidateRequest
        {
            Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" },
            Subject = new SubjectKey { ResidentId = residentId },
        });
        var receipts = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("commerce"));
        var refused = 0;
        for (var i = 0; i < 45 && refused == 0; i++)
        {
            try
            {
                await receipts.GetReceiptKeysAsync(new GetReceiptKeysRequest());
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                refused++;
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // the sealer's next tick
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(hub.ManagementAddress!, "/metrics"));

        Assert.Equal(1, refused);
        foreach (var series in new[]
        {
            "creditexchange_rpc_calls", "creditexchange_rpc_duration_seconds_bucket", "creditexchange_submissions_batch_size",
            "creditexchange_submissions", "creditexchange_audit_write_duration_seconds_bucket", "creditexchange_audit_seal_lag_seconds_bucket",
            "creditexchange_rate_limit_refusals", "creditexchange_feed_pending", "creditexchange_feed_pending_age_seconds",
        })
        {
            Assert.Contains(series, metrics, StringComparison.Ordinal);
        }

        // Durations on a millisecond scale, so that a p99 under 5 s can be read (not one bucket 0-5 s).
        Assert.Matches("creditexchange_rpc_duration_seconds_bucket\\{[^}]*le=\"0.005\"", metrics);
        Assert.Matches("creditexchange_audit_write_duration_seconds_bucket\\{[^}]*le=\"0.001\"", metrics);
        Assert.DoesNotMatch("creditexchange_rpc_duration_seconds_bucket\\{[^}]*le=\"750\"", metrics);

        Assert.Contains("outcome=\"accepted\"", metrics, StringComparison.Ordinal);
        Assert.Contains("agency=\"court\"", metrics, StringComparison.Ordinal);
        Assert.Contains(spans, s => s.Source.Name == "Npgsql");
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.NotEmpty(logs.Lines);
        var texts = spans.SelectMany(SpanTexts).Concat(logs.Lines).Append(metrics).ToList();
        foreach (var forbidden in new[] { residentId, Name })
        {
            Assert.DoesNotContain(texts, t => t.Contains(forbidden, StringComparison.Ordinal));
        }
    }

    private static IEnumerable<string> SpanTexts(Activity span) =>
        span.TagObjects.Select(t => $"{t.Key}={t.Value}")
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")))
            .Append(span.DisplayName)
            .Append(span.StatusDescription ?? "");
}
