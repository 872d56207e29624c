using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;

namespace CreditExchange.Tests.Records;

/// <summary>Sanction kinds, accountability measures and the severity they imply, checked on every path that takes content.</summary>
[Collection("postgres")]
public sealed class RecordKindsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData(SanctionKind.RemovalFromPost, Severity.Minor, "SANCTION_KIND_REMOVAL_FROM_POST", "SEVERITY_GENERAL")]
    [InlineData(SanctionKind.Demotion, Severity.Minor, "SANCTION_KIND_DEMOTION", "SEVERITY_GENERAL")]
    [InlineData(SanctionKind.Dismissal, Severity.General, "SANCTION_KIND_DISMISSAL", "SEVERITY_SERIOUS")]
    public async Task SubmitRecord_SanctionKindNeedsMoreSeverity_RefusedOnTheSeverityField(SanctionKind kind, Severity severity, string named, string minimum)
    {
        var request = LawRecordsTestData.Sanction(kind, severity: severity);

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("supervision").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(Violations(e), v => v.Field == "record.severity");
        Assert.Equal("severity_below_kind", violation.Reason);
        Assert.Contains(named, violation.Description, StringComparison.Ordinal);
        Assert.Contains(minimum, violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, _hub.CountRecords());
    }

    [Theory]
    [InlineData(PenaltyKind.LicenceRevocation, Severity.General, false)]
    [InlineData(PenaltyKind.EmploymentRestriction, Severity.Minor, false)]
    [InlineData(PenaltyKind.OrderToSuspend, Severity.Minor, false)]
    [InlineData(PenaltyKind.LicenceRevocation, Severity.Serious, true)]
    [InlineData(PenaltyKind.Warning, Severity.Minor, true)]
    [InlineData(PenaltyKind.PublicCriticism, Severity.Minor, true)]
    public async Task SubmitRecord_PenaltyKindsAgainstSeverity_CheckedByTheTable(PenaltyKind kind, Severity severity, bool accepted)
    {
        var request = TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement);
        request.Record.Severity = severity;
        request.Record.Penalty.Kinds.Clear();
        request.Record.Penalty.Kinds.Add(kind);

        if (accepted)
        {
            Assert.Equal(severity, (await _hub.Records("finance").SubmitRecordAsync(request)).Record.Content.Severity);
            return;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("finance").SubmitRecordAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("severity_below_kind", Assert.Single(Violations(e), v => v.Field == "record.severity").Reason);
    }

    [Fact]
    public async Task SubmitRecord_KindsOutsideTheirCategory_RefusedWithFieldPath()
    {
        var judgment = TestData.Submission();
        judgment.Record.SanctionKind = SanctionKind.Warning;
        judgment.Record.AccountabilityMeasures.Add(AccountabilityMeasure.Admonition);

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(judgment).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["record.accountability_measures", "record.sanction_kind"], Violations(e).Select(v => v.Field).Order());
        Assert.All(Violations(e), v => Assert.Equal("not_allowed", v.Reason));
    }

    [Fact]
    public async Task SubmitRecord_AccountabilityMeasures_AcceptedAndRoundTrip()
    {
        var request = TestData.Submission(Category.AccountabilityAction, subject: TestData.CivilServantSubject());
        request.Record.AccountabilityMeasures.Add(AccountabilityMeasure.Admonition);
        request.Record.AccountabilityMeasures.Add(AccountabilityMeasure.OrganizationalAdjustment);
        request.Record.ValidityEndDate = "2027-02-28"; // the influence period the decision set (降职: two years), beyond the least 12 months

        var record = (await _hub.Records("supervision").SubmitRecordAsync(request)).Record;

        Assert.Equal(request.Record.AccountabilityMeasures, record.Content.AccountabilityMeasures);
        Assert.Equal("2027-02-28", record.Standing.EffectEndDate);
    }

    [Fact]
    public async Task CorrectRecordAndBatch_SeverityBelowKind_RefusedOnTheirOwnPaths()
    {
        var submitted = (await _hub.Records("supervision").SubmitRecordAsync(LawRecordsTestData.Sanction(SanctionKind.Demerit, severity: Severity.Minor))).Record;
        var content = submitted.Content.Clone();
        content.SanctionKind = SanctionKind.Dismissal;

        var correction = await Assert.ThrowsAsync<RpcException>(() => new LifecycleService.LifecycleServiceClient(_hub.AgencyChannel("supervision"))
            .CorrectRecordAsync(new CorrectRecordRequest { RecordId = submitted.RecordId, ExpectedVersion = 1, Content = content, Reason = "更正" }).ResponseAsync);
        using var call = _hub.Records("supervision").SubmitRecords();
        await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = LawRecordsTestData.Sanction(SanctionKind.Dismissal, severity: Severity.Minor) });
        await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = LawRecordsTestData.Sanction(SanctionKind.Dismissal, severity: Severity.Serious) });
        await call.RequestStream.CompleteAsync();
        var batch = await call;

        Assert.Equal(StatusCode.InvalidArgument, correction.StatusCode);
        Assert.Contains("content.severity", Violations(correction).Select(v => v.Field));
        Assert.Equal("record.severity", Assert.Single(batch.Results[0].Error.FieldViolations).Field);
        Assert.Equal(1, batch.AcceptedCount);
    }

    private static List<Google.Rpc.BadRequest.Types.FieldViolation> Violations(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.ToList() ?? [];
}
