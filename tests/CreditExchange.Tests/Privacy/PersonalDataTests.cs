using System.Text;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Privacy;

/// <summary>Resident ID numbers never rest in clear: encrypted content, keyed-hash lookups.</summary>
[Collection("postgres")]
public sealed class PersonalDataTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync();
        _hub = await HubHost.StartAsync(_connectionString);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Database_AfterCivilServantSubmissionsAndQueries_HoldsNoResidentIdInClear()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = TestData.NewResidentId();
            var responsible = TestData.NewResidentId();
            ids.Add(id);
            ids.Add(responsible);
            var request = TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(id));
            request.Record.ResponsiblePerson = new ResponsiblePerson { Name = "李四", ResidentId = responsible };
            await _hub.Records("supervision").SubmitRecordAsync(request);
            var found = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = id } });
            Assert.Equal(id, Assert.Single(found.Records).Content.Subject.CivilServant.ResidentId);
        }

        // The lifecycle, appraisal and credit-file paths store and read personal data too.
        var first = (await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = ids[0] } })).Records[0];
        var lifecycle = (string agency) => new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel(agency));
        var filed = await lifecycle("drc").FileObjectionAsync(new Contracts.Lifecycle.V1.FileObjectionRequest { RecordId = first.RecordId, ExpectedVersion = 1, Grounds = "事实有误" });
        var corrected = first.Content.Clone();
        corrected.Facts = "更正后的事实。";
        await lifecycle("supervision").AnswerObjectionAsync(new Contracts.Lifecycle.V1.AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId,
            ExpectedVersion = filed.Record.Version,
            Outcome = Contracts.Lifecycle.V1.ObjectionState.Corrected,
            Answer = "已更正",
            CorrectedContent = corrected,
        });
        var appraisal = new Contracts.Appraisal.V1.AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("drc"));
        var check = await appraisal.CheckCandidatesAsync(new Contracts.Appraisal.V1.CheckCandidatesRequest
        {
            Purpose = new Contracts.Appraisal.V1.Purpose { AppraisalType = Contracts.Appraisal.V1.AppraisalType.Promotion, CaseReference = "晋升-2026-01" },
            Subjects = { ids.Select(id => new SubjectKey { ResidentId = id }) },
        });
        var file = await new Contracts.CreditFile.V1.CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc"))
            .GetCreditFileAsync(new Contracts.CreditFile.V1.GetCreditFileRequest { Subject = new SubjectKey { ResidentId = ids[0] } });
        Assert.Equal(ids.Count, check.Results.Count);
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            // The appraisal's structured purpose and every candidate (hashed) are in its audit entry.
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            var entry = db.AuditEntries.Single(e => e.Method.EndsWith("/CheckCandidates"));
            var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
            Assert.Contains("晋升-2026-01", protector.OpenText(entry.Purpose), StringComparison.Ordinal);
            Assert.Equal(ids.Count, entry.SubjectHashes.Split(';', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        Assert.Equal(3, file.CreditFile.Entries[0].Versions.Count);

        var dump = await DumpAsync();

        Assert.Contains("record_versions", dump, StringComparison.Ordinal);
        Assert.Contains("appraisal_check_candidates", dump, StringComparison.Ordinal);
        Assert.Contains("audit_entries", dump, StringComparison.Ordinal);
        Assert.Contains("records", dump, StringComparison.Ordinal);
        Assert.All(ids, id => Assert.DoesNotContain(id, dump, StringComparison.Ordinal));
        Assert.All(ids, id => Assert.DoesNotContain(id[..17], dump, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Database_FreeTextNamingPeople_NeverInClearButReadBack()
    {
        // Clerks type names and ID numbers into every free-text field: grounds, answers, reasons,
        // repair evidence and commitments, case references and the x-purpose header.
        var id = TestData.NewResidentId();
        var other = TestData.NewResidentId();
        string Text(string what) => $"{what}：当事人欧阳修远（身份证号{id}），证人司马光明（{other}）。";
        var lifecycle = (string agency) => new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel(agency));
        var purpose = new Grpc.Core.Metadata { { "x-purpose-bin", Encoding.UTF8.GetBytes(Text("核查")) } };
        // Finance's administrative penalties: credit repair reaches them.
        var request = TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement, decisionDate: "2025-01-15");
        var record = (await _hub.Records("finance").SubmitRecordAsync(request, purpose)).Record;
        var drc = lifecycle("drc");
        var court = lifecycle("finance");
        var filed = await drc.FileObjectionAsync(new Contracts.Lifecycle.V1.FileObjectionRequest { RecordId = record.RecordId, ExpectedVersion = 1, Grounds = Text("异议") }, purpose);
        await court.AnswerObjectionAsync(new Contracts.Lifecycle.V1.AnswerObjectionRequest
        {
            ObjectionId = filed.Objection.ObjectionId, ExpectedVersion = 2, Outcome = Contracts.Lifecycle.V1.ObjectionState.Dismissed, Answer = Text("答复"),
        });
        var corrected = await court.CorrectRecordAsync(new Contracts.Lifecycle.V1.CorrectRecordRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 3, Content = request.Record, Reason = Text("更正理由"),
        });
        var applied = await drc.ApplyForRepairAsync(new Contracts.Lifecycle.V1.ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = corrected.Record.Version, ObligationsFulfilled = true,
            ObligationsEvidence = Text("履行证明"), CreditCommitment = Text("信用承诺"),
        });
        await court.DecideRepairAsync(new Contracts.Lifecycle.V1.DecideRepairRequest
        {
            RepairId = applied.Repair.RepairId, ExpectedVersion = applied.Record.Version, Decision = Contracts.Lifecycle.V1.RepairState.Refused, Reason = Text("不予修复"),
        });
        var second = (await _hub.Records("finance").SubmitRecordAsync(TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement))).Record;
        await court.RevokeRecordAsync(new Contracts.Lifecycle.V1.RevokeRecordRequest { RecordId = second.RecordId, ExpectedVersion = 1, Reason = Text("撤销理由") });
        await new Contracts.Appraisal.V1.AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("drc")).CheckCandidateAsync(new Contracts.Appraisal.V1.CheckCandidateRequest
        {
            Purpose = new Contracts.Appraisal.V1.Purpose { AppraisalType = Contracts.Appraisal.V1.AppraisalType.Honors, CaseReference = "评优 欧阳修远" },
            Subject = new SubjectKey { ResidentId = id },
        });

        var dump = await DumpAsync();
        var history = await court.GetRecordHistoryAsync(new Contracts.Lifecycle.V1.GetRecordHistoryRequest { RecordId = record.RecordId });
        var audit = await new Contracts.Audit.V1.AuditService.AuditServiceClient(_hub.AgencyChannel("supervision"))
            .ListAuditEntriesAsync(new Contracts.Audit.V1.ListAuditEntriesRequest { AgencyId = "drc", PageSize = 100 });

        foreach (var secret in new[] { id, other, "欧阳修远", "司马光明" })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        // Read back in clear by those entitled to it.
        Assert.Equal(Text("异议"), Assert.Single(history.Objections).Grounds);
        Assert.Equal(Text("答复"), history.Objections[0].Answer);
        Assert.Equal([Text("履行证明"), Text("信用承诺"), Text("不予修复")], new[] { history.Repairs[0].ObligationsEvidence, history.Repairs[0].CreditCommitment, history.Repairs[0].DecisionReason });
        Assert.Contains(Text("更正理由"), history.Versions.Select(v => v.Reason));
        Assert.Contains(audit.Entries, e => e.Purpose == Text("核查"));
        // The chain covers the purposes in clear: sealed at rest, it still verifies.
        // SealOnceAsync does nothing while the background sealer holds the sealing lock: seal until none is left.
        var auditService = new Contracts.Audit.V1.AuditService.AuditServiceClient(_hub.AgencyChannel("supervision"));
        Contracts.Audit.V1.VerifyAuditChainResponse verified;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await _hub.Services.GetRequiredService<Server.Audit.AuditSealer>().SealOnceAsync(CancellationToken.None);
            verified = await auditService.VerifyAuditChainAsync(new Contracts.Audit.V1.VerifyAuditChainRequest());
        }
        while (verified.SealedEntries <= 10 && DateTime.UtcNow < deadline);
        Assert.True(verified.Intact, verified.FirstProblem?.Description);
        Assert.True(verified.SealedEntries > 10);
    }

    [Fact]
    public async Task RecordsStoredInClearByAnEarlierHub_ProtectedAtStartAndStillFound()
    {
        var residentId = TestData.NewResidentId();
        var content = TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId)).Record;
        var id = Guid.NewGuid();
        await using (var scope = _hub.Services.CreateAsyncScope())
        {
            // As the hub stored records before personal data was protected.
            var db = scope.ServiceProvider.GetRequiredService<Storage.CreditDbContext>();
            db.Records.Add(new Storage.Entities.RecordEntity
            {
                Id = id,
                AgencyId = "supervision",
                SourceRecordId = TestData.NewSourceId("legacy"),
                ContentHash = System.Security.Cryptography.SHA256.HashData(Google.Protobuf.MessageExtensions.ToByteArray(content)),
                SubjectKind = 2,
                SubjectKey = residentId,
                DivisionCode = "150102",
                Category = (int)Category.DisciplinarySanction,
                Severity = 2,
                Domain = (int)RecordDomain.Other,
                Disclosure = 1,
                Status = 1,
                Version = 1,
                DecisionDate = new DateOnly(2025, 3, 1),
                AcceptedAt = DateTimeOffset.UtcNow,
                Content = Google.Protobuf.MessageExtensions.ToByteArray(content),
            });
            await db.SaveChangesAsync();
        }

        Assert.Contains(residentId, await DumpAsync(), StringComparison.Ordinal);
        await using var restarted = await HubHost.StartAsync(_connectionString);

        var read = await restarted.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id.ToString() });
        var found = await restarted.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { ResidentId = residentId } });
        Assert.Equal(content, read.Record.Content);
        Assert.Equal(id.ToString(), Assert.Single(found.Records).RecordId);
        Assert.DoesNotContain(residentId, await DumpAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_ResponsiblePersonsAndPersonInCharge_OnlyAsKeyedHashes()
    {
        var principal = TestData.NewResidentId();
        var related = TestData.NewResidentId();
        var inCharge = TestData.NewResidentId();
        await _hub.Records("court").SubmitRecordAsync(Records.LawRecordsTestData.PppJudgment("2025-03-01", "PPP-PRIVACY-1", principal, related));
        await _hub.Records("court").SubmitRecordAsync(Records.LawRecordsTestData.JudgmentDebtor("2025-03-01", personInChargeId: inCharge));
        var files = new Contracts.CreditFile.V1.CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc"));
        foreach (var id in new[] { principal, related, inCharge })
        {
            Assert.Single((await files.GetCreditFileAsync(new Contracts.CreditFile.V1.GetCreditFileRequest { Subject = new SubjectKey { ResidentId = id } })).CreditFile.Entries);
        }

        var dump = await DumpAsync();
        var protector = _hub.Services.GetRequiredService<PersonalDataProtector>();

        Assert.Contains("record_persons", dump, StringComparison.Ordinal);
        foreach (var id in new[] { principal, related, inCharge })
        {
            Assert.DoesNotContain(id[..17], dump, StringComparison.Ordinal);
            Assert.Contains(protector.SubjectKey(id), dump, StringComparison.Ordinal);
        }

        foreach (var name in new[] { "赵某", "钱某", "王某" })
        {
            Assert.DoesNotContain(name, dump, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Protector_EnvelopeTampered_Refused()
    {
        var protector = _hub.Services.GetRequiredService<PersonalDataProtector>();
        var envelope = protector.Seal("150102198001010019"u8);

        Assert.Equal("150102198001010019"u8.ToArray(), protector.Open(envelope));
        envelope[^1] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Open(envelope));
    }

    /// <summary>Every row of every table of the public schema, each column as text (bytea decoded as escaped bytes, so ASCII shows).</summary>
    private async Task<string> DumpAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var command = new NpgsqlCommand(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var dump = new StringBuilder();
        foreach (var table in columns.GroupBy(c => c.Table))
        {
            dump.AppendLine("== " + table.Key);
            var select = string.Join(" || '|' || ", table.Select(c => c.Type == "bytea"
                ? $"coalesce(encode(\"{c.Column}\", 'escape'), '')"
                : $"coalesce(\"{c.Column}\"::text, '')"));
            await using var command = new NpgsqlCommand($"SELECT {select} FROM \"{table.Key}\"", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }

        return dump.ToString();
    }
}
