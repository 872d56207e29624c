using System.Data.Common;
using System.Text.Json;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Appraisal;

/// <summary>
/// A check reads the facts that decide it from the records' subject index alone on PostgreSQL: no heap page of the
/// records table per record (a subject's records lie far apart in a large table). Seen in the plan of the very facts
/// query the hub runs, taken beside it on the hub's own connection, with its parameters.
/// </summary>
[Collection("postgres")]
public sealed class CheckFactsIndexTests(PostgresFixture postgres)
{
    private const string SubjectIndex = "IX_records_SubjectKey_DecisionDate_Sequence";

    [Fact]
    public async Task CheckCandidateAndCheckCandidates_ReadTheSubjectsFacts_FromTheSubjectIndexAlone()
    {
        var today = ChinaCalendar.Today(TimeProvider.System);
        var rules = WriteRules(StandardRules());
        var plans = new FactsPlans();
        var connectionString = await postgres.CreateDatabaseAsync();
        try
        {
            await using var hub = await HubHost.StartAsync(
                connectionString, new Dictionary<string, string?> { ["Hub:Appraisal:RulesFile"] = rules }, services: s => s.AddSingleton<IInterceptor>(plans));
            var body = Body();
            var other = Body();
            var judgment = await SubmitAsync(hub, Record(body, Category.JudicialJudgment, Severity.Serious, today.AddDays(-5)));
            await SubmitAsync(hub, Record(body, Category.JudicialJudgment, Severity.Minor, today.AddDays(-20)));
            await SubmitAsync(hub, Record(body, Category.BreachOfCommitment, Severity.General, today.AddDays(-30)));
            await SubmitAsync(hub, Record(other, Category.BreachOfCommitment, Severity.General, today.AddDays(-3)));
            await SubmitAsync(hub, Record(other, Category.JudicialJudgment, Severity.Minor, today.AddDays(-4)));

            // As autovacuum leaves a table: the visibility map marks the pages whose rows every transaction sees, so an
            // index-only scan need not visit them (once the transactions that wrote them are older than every snapshot).
            await using (var admin = new NpgsqlConnection(connectionString))
            {
                await admin.OpenAsync();
                await Eventually.HoldsAsync(async () =>
                {
                    await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) records", admin);
                    await vacuum.ExecuteNonQueryAsync();
                    await using var visible = new NpgsqlCommand("SELECT relallvisible = relpages FROM pg_class WHERE relname = 'records'", admin);
                    return (bool)(await visible.ExecuteScalarAsync())!;
                });
            }

            plans.Watch = true;
            var purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" };
            var client = new AppraisalService.AppraisalServiceClient(hub.AgencyChannel("drc"));
            var single = await client.CheckCandidateAsync(new CheckCandidateRequest { Purpose = purpose, Subject = KeyOf(body) });
            var batch = await client.CheckCandidatesAsync(new CheckCandidatesRequest { Purpose = purpose, Subjects = { KeyOf(body), KeyOf(other) } });
            plans.Watch = false;

            Assert.Equal(Decision.Ineligible, single.Result.Decision);
            Assert.Equal([judgment], single.Result.DecidingRecords.Select(r => r.RecordId));
            Assert.Equal([Decision.Ineligible, Decision.Eligible], batch.Results.Select(r => r.Decision));
            // The plan's first branch reads the records about the subjects (the second, those naming them as responsible).
            var scans = plans.Taken.Select(plan => plan.GetProperty("Plans")[0]).ToList();
            Assert.Equal(2, scans.Count);
            Assert.All(scans, scan =>
            {
                Assert.Equal(("Index Only Scan", SubjectIndex), (scan.GetProperty("Node Type").GetString(), scan.GetProperty("Index Name").GetString()));
                Assert.Equal(0, scan.GetProperty("Heap Fetches").GetInt64());
            });
            Assert.Equal([3, 5], scans.Select(s => s.GetProperty("Actual Rows").GetInt64()));
        }
        finally
        {
            File.Delete(rules);
        }
    }

    /// <summary>
    /// While watching, runs every facts query of a check once more under EXPLAIN ANALYZE on the same connection with the
    /// same parameters, sequential and bitmap scans off (a table of five rows would be read whole otherwise), and keeps
    /// its plan.
    /// </summary>
    private sealed class FactsPlans : DbCommandInterceptor
    {
        private readonly List<JsonElement> _plans = [];

        public volatile bool Watch;

        public IReadOnlyList<JsonElement> Taken
        {
            get
            {
                lock (_plans)
                {
                    return [.. _plans];
                }
            }
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Watch && command.CommandText.Contains("AS \"Key\", NULL AS \"Role\"", StringComparison.Ordinal))
            {
                var plan = await ExplainAsync((NpgsqlCommand)command, cancellationToken);
                lock (_plans)
                {
                    _plans.Add(plan);
                }
            }

            return result;
        }

        private static async Task<JsonElement> ExplainAsync(NpgsqlCommand command, CancellationToken ct)
        {
            await RunAsync(command, "SET enable_seqscan = off; SET enable_bitmapscan = off", ct);
            try
            {
                await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + command.CommandText, command.Connection, command.Transaction);
                foreach (NpgsqlParameter parameter in command.Parameters)
                {
                    explain.Parameters.Add(parameter.Clone());
                }

                using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(ct))!);
                return plan.RootElement[0].GetProperty("Plan").Clone();
            }
            finally
            {
                await RunAsync(command, "RESET enable_seqscan; RESET enable_bitmapscan", ct);
            }
        }

        private static async Task RunAsync(NpgsqlCommand beside, string sql, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(sql, beside.Connection, beside.Transaction);
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
