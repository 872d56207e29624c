using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;

namespace CreditExchange.Tests.Records;

/// <summary>Record submission and query over real Kestrel, real mTLS and real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class RecordServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string, Category, RecordDomain> Competences => new()
    {
        { "court", Category.JudicialJudgment, RecordDomain.Other },
        { "finance", Category.AdministrativePenalty, RecordDomain.Procurement },
        { "finance", Category.AdministrativePenalty, RecordDomain.GovernmentDebt },
        { "procuratorate", Category.ProcuratorialOutcome, RecordDomain.Other },
        { "supervision", Category.DisciplinarySanction, RecordDomain.Other },
        { "supervision", Category.AccountabilityAction, RecordDomain.Township },
        { "organization", Category.DisciplinarySanction, RecordDomain.Other },
        { "organization", Category.AccountabilityAction, RecordDomain.Other },
        { "hrss", Category.DisciplinarySanction, RecordDomain.Other },
        { "hrss", Category.AccountabilityAction, RecordDomain.Other },
        { "finance", Category.BreachOfCommitment, RecordDomain.Procurement },
        { "finance", Category.BreachOfCommitment, RecordDomain.Ppp },
        { "finance", Category.BreachOfCommitment, RecordDomain.GovernmentDebt },
        { "trading-center", Category.BreachOfCommitment, RecordDomain.Bidding },
        { "commerce", Category.BreachOfCommitment, RecordDomain.InvestmentPromotion },
    };

    [Theory]
    [MemberData(nameof(Competences))]
    public async Task SubmitRecord_WithinCompetence_AcceptedAndReadable(string agency, Category category, RecordDomain domain)
    {
        var request = TestData.Submission(category, domain);

        var response = await _hub.Records(agency).SubmitRecordAsync(request);

        Assert.False(response.Duplicate);
        Assert.Equal(agency, response.Record.AgencyId);
        Assert.Equal(RecordStatus.Active, response.Record.Status);
        Assert.Equal(1, response.Record.Version);
        var read = await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = response.Record.RecordId });
        Assert.Equal(request.Record, read.Record.Content);
    }

    public static TheoryData<string, Category, RecordDomain, string> OutOfCompetence => new()
    {
        { "court", Category.DisciplinarySanction, RecordDomain.Other, "CATEGORY_NOT_IN_COMPETENCE" },
        { "supervision", Category.JudicialJudgment, RecordDomain.Other, "CATEGORY_NOT_IN_COMPETENCE" },
        { "procuratorate", Category.BreachOfCommitment, RecordDomain.Procurement, "CATEGORY_NOT_IN_COMPETENCE" },
        { "procuratorate", Category.JudicialJudgment, RecordDomain.Other, "CATEGORY_NOT_IN_COMPETENCE" }, // courts issue judgments
        { "finance", Category.AdministrativePenalty, RecordDomain.Bidding, "DOMAIN_NOT_IN_COMPETENCE" },
        { "court", Category.AdministrativePenalty, RecordDomain.Other, "CATEGORY_NOT_IN_COMPETENCE" },
        { "organization", Category.JudicialJudgment, RecordDomain.Other, "CATEGORY_NOT_IN_COMPETENCE" },
        { "finance", Category.BreachOfCommitment, RecordDomain.Bidding, "DOMAIN_NOT_IN_COMPETENCE" },
        { "commerce", Category.BreachOfCommitment, RecordDomain.Procurement, "DOMAIN_NOT_IN_COMPETENCE" },
        { "drc", Category.JudicialJudgment, RecordDomain.Other, "SCOPE_MISSING" }, // drc is not granted records.submit at all
    };

    [Theory]
    [MemberData(nameof(OutOfCompetence))]
    public async Task SubmitRecord_OutOfCompetence_PermissionDeniedNamingRule(string agency, Category category, RecordDomain domain, string reason)
    {
        var before = _hub.CountRecords();

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records(agency).SubmitRecordAsync(TestData.Submission(category, domain)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(reason, TestData.Reason(e));
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_Retried_ReturnsFirstResultAndStoresNothingNew()
    {
        var client = _hub.Records("court");
        var request = TestData.Submission();
        var first = await client.SubmitRecordAsync(request);
        var before = _hub.CountRecords();

        var retry = await client.SubmitRecordAsync(request);

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Record, retry.Record);
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_ConcurrentRetries_StoreOneRecord()
    {
        var client = _hub.Records("court");
        var request = TestData.Submission();
        var before = _hub.CountRecords();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SubmitRecordAsync(request).ResponseAsync));

        Assert.Single(answers.Select(a => a.Record.RecordId).Distinct());
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(before + 1, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_SameSourceIdDifferentContent_AlreadyExistsAndNothingChanges()
    {
        var client = _hub.Records("court");
        var request = TestData.Submission();
        var first = await client.SubmitRecordAsync(request);
        var changed = request.Clone();
        changed.Record.Facts = "另一事实";

        var e = await Assert.ThrowsAsync<RpcException>(() => client.SubmitRecordAsync(changed).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Equal("SOURCE_ID_CONFLICT", TestData.Reason(e));
        var stored = await client.GetRecordAsync(new GetRecordRequest { RecordId = first.Record.RecordId });
        Assert.Equal(request.Record.Facts, stored.Record.Content.Facts);
    }

    [Fact]
    public async Task SubmitRecord_SameSourceIdFromAnotherAgency_IsAnotherRecord()
    {
        var sourceId = TestData.NewSourceId();
        var court = await _hub.Records("court").SubmitRecordAsync(TestData.Submission(sourceId: sourceId));
        var procuratorate = await _hub.Records("procuratorate").SubmitRecordAsync(TestData.Submission(Category.ProcuratorialOutcome, sourceId: sourceId));

        Assert.NotEqual(court.Record.RecordId, procuratorate.Record.RecordId);
        Assert.False(procuratorate.Duplicate);
    }

    [Fact]
    public async Task SubmitRecord_LowercaseResidentIdCheckCharacter_NormalisedAndRetrySafe()
    {
        var id = TestData.NewResidentId();
        while (!id.EndsWith('X'))
        {
            id = TestData.NewResidentId();
        }

        var client = _hub.Records("supervision");
        var lower = TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(id[..17] + "x"));
        var upper = lower.Clone();
        upper.Record.Subject.CivilServant.ResidentId = id;

        var first = await client.SubmitRecordAsync(lower);
        var retry = await client.SubmitRecordAsync(upper);

        Assert.Equal(id, first.Record.Content.Subject.CivilServant.ResidentId);
        Assert.True(retry.Duplicate);
    }

    public static TheoryData<string, string, string> InvalidIdentifiers => new()
    {
        // field, bad value, expected violated field path
        { "resident_id", "36042619910102009X", "record.subject.civil_servant.resident_id" },   // check should be 3
        { "resident_id", "3604261991010200", "record.subject.civil_servant.resident_id" },     // too short
        { "resident_id", "360426199102300071", "record.subject.civil_servant.resident_id" },   // 1991-02-30
        { "resident_id", "36042619910101007A", "record.subject.civil_servant.resident_id" },   // letter check
        { "credit_code", "91110108551385082F", "record.subject.government_body.credit_code" }, // should end Q
        { "credit_code", "9111010855138508", "record.subject.government_body.credit_code" },   // too short
        { "credit_code", "91110108551385O82Q", "record.subject.government_body.credit_code" }, // forbidden O
        { "credit_code", "9111010855138508IQ", "record.subject.government_body.credit_code" }, // forbidden I
        { "credit_code", "123456789012345678", "record.subject.government_body.credit_code" }, // inner check
        { "authority", "91110108551385082F", "record.deciding_authority.credit_code" },
        { "division", "12345", "record.subject.division_code" },
        { "division", "152100", "record.subject.division_code" },                              // retired league
        { "division", "110101", "record.subject.division_code" },                              // not Inner Mongolia
        { "decision_date", "2025-02-30", "record.decision_date" },
        { "decision_date", "2999-01-01", "record.decision_date" },
        { "decision_date", "20250301", "record.decision_date" },
    };

    [Theory]
    [MemberData(nameof(InvalidIdentifiers))]
    public async Task SubmitRecord_InvalidField_InvalidArgumentWithFieldViolation(string field, string value, string path)
    {
        var request = field == "resident_id"
            ? TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(value))
            : TestData.Submission(Category.DisciplinarySanction);
        switch (field)
        {
            case "credit_code":
                request.Record.Subject = TestData.GovernmentSubject(value);
                break;
            case "authority":
                request.Record.DecidingAuthority.CreditCode = value;
                break;
            case "division":
                request.Record.Subject.DivisionCode = value;
                break;
            case "decision_date":
                request.Record.DecisionDate = value;
                break;
        }

        var before = _hub.CountRecords();

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("supervision").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("INVALID_REQUEST", TestData.Reason(e));
        Assert.Contains(path, TestData.ViolatedFields(e));
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_EmptyRequest_ReportsEveryMissingField()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(new SubmitRecordRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("source_record_id", TestData.ViolatedFields(e));
        Assert.Contains("record", TestData.ViolatedFields(e));
    }

    [Fact]
    public async Task SubmitRecords_MixedBatch_OneResultPerItemInOrder()
    {
        var bad = TestData.Submission();
        bad.Record.Subject.GovernmentBody.CreditCode = "91110108551385082F";
        var outOfCompetence = TestData.Submission(Category.DisciplinarySanction);
        var good1 = TestData.Submission();
        var good2 = TestData.Submission();
        var before = _hub.CountRecords();

        using var call = _hub.Records("court").SubmitRecords();
        foreach (var item in new[] { good1, bad, outOfCompetence, good2 })
        {
            await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = item });
        }

        await call.RequestStream.WriteAsync(new SubmitRecordsRequest());
        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.Equal([0, 1, 2, 3, 4], response.Results.Select(r => r.Index));
        Assert.Equal(good1.SourceRecordId, response.Results[0].Record.SourceRecordId);
        Assert.Equal((int)StatusCode.InvalidArgument, response.Results[1].Error.Code);
        Assert.Contains(response.Results[1].Error.FieldViolations, v => v.Field == "record.subject.government_body.credit_code");
        Assert.Equal((int)StatusCode.PermissionDenied, response.Results[2].Error.Code);
        Assert.Equal("CATEGORY_NOT_IN_COMPETENCE", response.Results[2].Error.Reason);
        Assert.Equal(good2.SourceRecordId, response.Results[3].Record.SourceRecordId);
        Assert.Equal("item", Assert.Single(response.Results[4].Error.FieldViolations).Field);
        Assert.Equal(2, response.AcceptedCount);
        Assert.Equal(3, response.RejectedCount);
        Assert.Equal(before + 2, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_RetriedBatchWithConflict_DuplicatesAnsweredAndConflictReported()
    {
        var a = TestData.Submission();
        var b = TestData.Submission();
        var client = _hub.Records("court");
        await client.SubmitBatchAsync(a, b);
        var before = _hub.CountRecords();
        var changedB = b.Clone();
        changedB.Record.Remarks = "changed";

        var response = await client.SubmitBatchAsync(a, changedB, a);

        Assert.True(response.Results[0].Duplicate);
        Assert.Equal("SOURCE_ID_CONFLICT", response.Results[1].Error.Reason);
        Assert.Equal((int)StatusCode.AlreadyExists, response.Results[1].Error.Code);
        Assert.True(response.Results[2].Duplicate);
        Assert.Equal(response.Results[0].Record.RecordId, response.Results[2].Record.RecordId);
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_MoreThanLimit_RefusedWholeAndNothingStored()
    {
        var before = _hub.CountRecords();
        using var call = _hub.Records("court").SubmitRecords();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            for (var i = 0; i < 1001; i++)
            {
                await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
            }

            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("BATCH_TOO_LARGE", TestData.Reason(e));
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_MoreBytesThanLimit_RefusedWholeAndNothingStored()
    {
        await using var small = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:MaxBatchBytes"] = "20000" });
        using var call = small.Records("court").SubmitRecords();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var item = TestData.Submission();
                item.Record.Facts = new string('事', 1500); // ~4.5 KB each
                await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = item });
            }

            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("BATCH_TOO_LARGE", TestData.Reason(e));
        Assert.Equal(0, small.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_Empty_InvalidArgument()
    {
        using var call = _hub.Records("court").SubmitRecords();
        await call.RequestStream.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("BATCH_EMPTY", TestData.Reason(e));
    }

    [Fact]
    public async Task GetRecord_UnknownOrNotEntitled_NotFound()
    {
        var stored = await _hub.Records("court").SubmitRecordAsync(TestData.Submission());

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = Guid.NewGuid().ToString() }).ResponseAsync);
        var otherAgency = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Records("supervision").GetRecordAsync(new GetRecordRequest { RecordId = stored.Record.RecordId }).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = "not-a-uuid" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, otherAgency.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains("record_id", TestData.ViolatedFields(malformed));
    }

    [Fact]
    public async Task ListSubjectRecords_Paged_EveryRecordOnceNewestFirst()
    {
        var code = TestData.NewCreditCode();
        var court = _hub.Records("court");
        for (var day = 1; day <= 7; day++)
        {
            await court.SubmitRecordAsync(TestData.Submission(subject: TestData.GovernmentSubject(code), decisionDate: $"2024-0{day}-15"));
        }

        var request = new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, PageSize = 3 };
        var pages = new List<ListSubjectRecordsResponse>();
        do
        {
            var page = await _hub.Records("drc").ListSubjectRecordsAsync(request);
            pages.Add(page);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Records.Count));
        var dates = pages.SelectMany(p => p.Records).Select(r => r.Content.DecisionDate).ToList();
        Assert.Equal(dates.OrderDescending(), dates);
        Assert.Equal(7, dates.Distinct().Count());
    }

    [Fact]
    public async Task ListSubjectRecords_Filters_CategoryAndDateRangeAndOwnRecordsOnly()
    {
        var id = TestData.NewResidentId();
        await _hub.Records("supervision").SubmitRecordAsync(TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(id), decisionDate: "2023-05-01"));
        await _hub.Records("supervision").SubmitRecordAsync(TestData.Submission(Category.AccountabilityAction, subject: TestData.CivilServantSubject(id), decisionDate: "2024-05-01"));
        await _hub.Records("court").SubmitRecordAsync(TestData.Submission(Category.JudicialJudgment, subject: TestData.CivilServantSubject(id), decisionDate: "2024-06-01"));
        var key = new SubjectKey { ResidentId = id };

        var all = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = key });
        var sanctions = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = key, Categories = { Category.DisciplinarySanction } });
        var in2024 = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = key, DecisionDateFrom = "2024-01-01", DecisionDateTo = "2024-12-31" });
        var courtOwn = await _hub.Records("court").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = key });
        var active = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = key, Statuses = { RecordStatus.Revoked } });

        Assert.Equal(3, all.Records.Count);
        Assert.Equal("2023-05-01", Assert.Single(sanctions.Records).Content.DecisionDate);
        Assert.Equal(2, in2024.Records.Count);
        Assert.Equal("court", Assert.Single(courtOwn.Records).AgencyId);
        Assert.Empty(active.Records);
    }

    [Fact]
    public async Task ListSubjectRecords_TokenWithOtherFiltersOrTampered_InvalidPageToken()
    {
        var code = TestData.NewCreditCode();
        for (var i = 0; i < 3; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(TestData.Submission(subject: TestData.GovernmentSubject(code)));
        }

        var first = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, PageSize = 1 });
        var otherFilter = new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, Categories = { Category.JudicialJudgment }, PageToken = first.NextPageToken };
        var garbage = new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, PageToken = "!!not-a-token" };

        foreach (var request in new[] { otherFilter, garbage })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("drc").ListSubjectRecordsAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal("INVALID_PAGE_TOKEN", TestData.Reason(e));
        }
    }

    [Fact]
    public async Task SubmitRecord_OversizedMessage_ResourceExhausted()
    {
        var request = TestData.Submission();
        request.Record.Remarks = new string('x', 5 * 1024 * 1024);

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task AnyMethod_UnregisteredAgencyCertificate_Unauthenticated()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            _hub.Records(TestCertificates.Agency(TestCertificates.UnregisteredAgency)).SubmitRecordAsync(TestData.Submission()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("AGENCY_NOT_REGISTERED", TestData.Reason(e));
    }
}
