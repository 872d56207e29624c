using System.Net;
using System.Net.Http.Headers;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Publication.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Publication;
using CreditExchange.Tests.Appraisal;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace CreditExchange.Tests.Feed;

/// <summary>The masked public disclosure list for 信用内蒙古, over gRPC and HTTP JSON, real PostgreSQL.</summary>
[Collection("postgres")]
public sealed class PublicationServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private PublicationService.PublicationServiceClient Client(string agency = "drc") => new(_hub.AgencyChannel(agency));

    [Fact]
    public async Task ListPublications_OnlyPublicStandingRecords_EveryPersonalFieldMasked()
    {
        var id = TestData.NewResidentId();
        var responsibleId = TestData.NewResidentId();
        var person = TestData.CivilServantSubject(id);
        person.CivilServant.Name = "欧阳修远";
        var published = Sanction(person);
        published.Record.ResponsiblePerson = new ResponsiblePerson { Name = "司马光明", ResidentId = responsibleId, Position = "局长" };
        published.Record.Facts = $"欧阳修远（身份证号{id}）在司马光明（{responsibleId}）授意下违规审批。";
        published.Record.Remarks = "欧阳修远";
        var publicRecord = (await _hub.Records("supervision").SubmitRecordAsync(published)).Record;
        var sharedOnly = Sanction(TestData.CivilServantSubject());
        sharedOnly.Record.Disclosure = Disclosure.SharedOnly;
        await _hub.Records("supervision").SubmitRecordAsync(sharedOnly);
        var revoked = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-30))))).Record;
        await AppraisalTestData.DriveToAsync(_hub, revoked.RecordId, RecordStatus.Revoked);
        var expired = TestData.Submission(decisionDate: Iso(Today.AddMonths(-13))); // general: published for 12 months
        await _hub.Records("court").SubmitRecordAsync(expired);
        var body = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-30))))).Record;

        var list = await Client().ListPublicationsAsync(new ListPublicationsRequest());

        Assert.Equal([publicRecord.RecordId, body.RecordId], list.Publications.Select(p => p.RecordId));
        var masked = list.Publications[0];
        Assert.Equal("欧**远", masked.Subject.CivilServant.MaskedName);
        Assert.Equal(id[..6] + "************", masked.Subject.CivilServant.MaskedResidentId);
        Assert.Equal("司**明", masked.ResponsiblePersonName);
        Assert.Equal($"欧**远（身份证号{id[..6]}************）在司**明（{responsibleId[..6]}************）授意下违规审批。", masked.Facts);
        foreach (var text in MessageStrings.Of(masked))
        {
            foreach (var secret in new[] { id, responsibleId, id[6..14], responsibleId[6..14], "欧阳修远", "司马光明" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        // A government body is a public body: shown in full.
        Assert.Equal(TestData.Submission().Record.Subject.GovernmentBody.Name, list.Publications[1].Subject.GovernmentBody.Name);
        Assert.Equal(Iso(Today), list.AsOfDate);
    }

    [Fact]
    public async Task PublicForm_JudgmentDebtorAndResponsiblePersons_NamesAndIdsMasked()
    {
        var head = TestData.NewResidentId();
        var principal = TestData.NewResidentId();
        var related = TestData.NewResidentId();
        var debtor = Records.LawRecordsTestData.JudgmentDebtor(Iso(Today.AddDays(-30)), personInChargeId: head);
        debtor.Record.JudgmentDebtor.PersonInCharge.Name = "上官婉儿";
        debtor.Record.JudgmentDebtor.Obligation = $"上官婉儿（{head}）代表被执行人支付工程款。";
        var ppp = Records.LawRecordsTestData.PppJudgment(Iso(Today.AddDays(-30)), "PPP-150102-2019-0009", principal, related);
        ppp.Record.ResponsiblePersons[0].Name = "诸葛亮明";
        ppp.Record.Facts = $"诸葛亮明（{principal}）与钱某（{related}）未履行付款义务。";
        var d = (await _hub.Records("court").SubmitRecordAsync(debtor)).Record;
        var p = (await _hub.Records("court").SubmitRecordAsync(ppp)).Record;

        var listing = (await Client().GetPublicationAsync(new GetPublicationRequest { RecordId = d.RecordId })).Publication;
        var project = (await Client().GetPublicationAsync(new GetPublicationRequest { RecordId = p.RecordId })).Publication;

        Assert.Equal(("上**儿", "(2025)内01执88号"), (listing.JudgmentDebtor.PersonInChargeMaskedName, listing.JudgmentDebtor.EnforcementCaseNumber));
        Assert.Equal(["诸**明", "钱*", "孙*"], project.ResponsiblePersons.Select(r => r.MaskedName));
        Assert.Equal(ResponsibleRole.Principal, project.ResponsiblePersons[0].Role);
        foreach (var text in MessageStrings.Of(listing).Concat(MessageStrings.Of(project)))
        {
            foreach (var secret in new[] { head, principal, related, head[6..14], principal[6..14], "上官婉儿", "诸葛亮明", "钱某" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ListPublicationChanges_MirrorStaysExact_WithdrawalsForRevocationRepairAndCorrectionToSharedOnly()
    {
        var kept = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-200))))).Record;
        var revoked = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-200))))).Record;
        // An administrative penalty (finance's): credit repair reaches it, not a court's judgment.
        var repaired = (await _hub.Records("finance").SubmitRecordAsync(TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement, decisionDate: Iso(Today.AddDays(-200))))).Record;
        var hidden = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-200))))).Record;
        var neverPublic = TestData.Submission();
        neverPublic.Record.Disclosure = Disclosure.SharedOnly;
        var shared = (await _hub.Records("court").SubmitRecordAsync(neverPublic)).Record;
        await AppraisalTestData.DriveToAsync(_hub, revoked.RecordId, RecordStatus.Revoked);
        await AppraisalTestData.DriveToAsync(_hub, repaired.RecordId, RecordStatus.Repaired);
        var content = hidden.Content.Clone();
        content.Disclosure = Disclosure.SharedOnly;
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = hidden.RecordId, ExpectedVersion = 1, Content = content, Reason = "不宜公开" });
        await _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest { RecordId = kept.RecordId, ExpectedVersion = 1, Content = LifecycleKit.Corrected(kept.Content), Reason = "更正" });
        await _hub.PublishAsync();

        // A mirror applies every change in order, a page at a time.
        var mirror = new Dictionary<string, PublicRecord>();
        var withdrawn = new HashSet<string>();
        long after = 0;
        while (true)
        {
            var page = await Client().ListPublicationChangesAsync(new ListPublicationChangesRequest { AfterSequence = after, PageSize = 3 });
            foreach (var change in page.Changes)
            {
                if (change.Kind == PublicationChangeKind.Published)
                {
                    mirror[change.RecordId] = change.Publication;
                }
                else
                {
                    mirror.Remove(change.RecordId);
                    withdrawn.Add(change.RecordId);
                }
            }

            after = page.NextAfterSequence;
            if (page.CaughtUp)
            {
                break;
            }
        }

        var list = await Client().ListPublicationsAsync(new ListPublicationsRequest());
        Assert.Equal(list.Publications.ToDictionary(p => p.RecordId), mirror);
        Assert.Equal([kept.RecordId], mirror.Keys);
        Assert.Equal("更正后的事实。", mirror[kept.RecordId].Facts);
        Assert.Equal(new HashSet<string> { revoked.RecordId, repaired.RecordId, hidden.RecordId }, withdrawn);
        Assert.DoesNotContain(shared.RecordId, withdrawn); // never public: never named to the website
    }

    [Fact]
    public async Task HttpJson_SameContentAsGrpc_OverMutualTlsWithToken()
    {
        var record = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-10))))).Record;
        await _hub.PublishAsync();
        var grpcList = await Client().ListPublicationsAsync(new ListPublicationsRequest());
        var grpcOne = await Client().GetPublicationAsync(new GetPublicationRequest { RecordId = record.RecordId });
        var grpcChanges = await Client().ListPublicationChangesAsync(new ListPublicationChangesRequest { AfterSequence = 0 });

        using var http = HubHost.Http(TestCertificates.Agency("drc"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _hub.TokenAsync("drc"));
        async Task<T> Get<T>(string path) where T : IMessage<T>, new()
        {
            using var response = await http.GetAsync(new Uri(_hub.Address, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(false)).Parse<T>(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(grpcList, await Get<ListPublicationsResponse>("v1/publications"));
        Assert.Equal(grpcOne, await Get<GetPublicationResponse>($"v1/publications/{record.RecordId}"));
        Assert.Equal(grpcChanges, await Get<ListPublicationChangesResponse>("v1/publications/changes?afterSequence=0"));

        // Without the token's scope, or without a token, the website's back end gets nothing.
        using var anonymous = HubHost.Http(TestCertificates.Agency("drc"));
        using var refused = await anonymous.GetAsync(new Uri(_hub.Address, "v1/publications"));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Theory]
    [InlineData("court")]
    [InlineData("organization")]
    public async Task Publication_OnlyTheRegionalPlatform_OthersPermissionDenied(string agency)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Client(agency).ListPublicationsAsync(new ListPublicationsRequest()).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "SCOPE_MISSING"), (e.StatusCode, TestData.Reason(e)));
    }

    [Fact]
    public async Task GetPublication_NotPublished_NotFound_AndPagesBoundToTheirDay()
    {
        var sharedOnly = TestData.Submission();
        sharedOnly.Record.Disclosure = Disclosure.SharedOnly;
        var record = (await _hub.Records("court").SubmitRecordAsync(sharedOnly)).Record;
        for (var i = 0; i < 3; i++)
        {
            await _hub.Records("court").SubmitRecordAsync(TestData.Submission(decisionDate: Iso(Today.AddDays(-5))));
        }

        var missing = await Assert.ThrowsAsync<RpcException>(() => Client().GetPublicationAsync(new GetPublicationRequest { RecordId = record.RecordId }).ResponseAsync);
        var first = await Client().ListPublicationsAsync(new ListPublicationsRequest { PageSize = 2 });
        var second = await Client().ListPublicationsAsync(new ListPublicationsRequest { PageSize = 2, PageToken = first.NextPageToken });
        var otherDay = await Assert.ThrowsAsync<RpcException>(() =>
            Client().ListPublicationsAsync(new ListPublicationsRequest { PageSize = 2, PageToken = first.NextPageToken, AsOfDate = Iso(Today.AddDays(-1)) }).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "PUBLICATION_NOT_FOUND"), (missing.StatusCode, TestData.Reason(missing)));
        Assert.Equal(3, first.Publications.Count + second.Publications.Count);
        Assert.Empty(second.NextPageToken);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN"), (otherDay.StatusCode, TestData.Reason(otherDay)));
    }

    private static SubmitRecordRequest Sanction(Subject person)
    {
        var request = TestData.Submission(Category.DisciplinarySanction, subject: person, decisionDate: Iso(Today.AddDays(-20)));
        request.Record.Disclosure = Disclosure.Public;
        return request;
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
