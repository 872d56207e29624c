using CreditExchange.Contracts.Admin.V1;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Contracts;
using CreditExchange.Tests.Hub;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// One request per method of the contract that passes validation and every check made before the
/// database (ids need not exist), with the agency allowed to make it. <see cref="Methods"/> is read
/// from the contract, so a new method without an entry here fails the tests that use it.
/// </summary>
public static class ContractCalls
{
    private static readonly Dictionary<string, (string Agency, Func<IMessage> Request)> Calls = new(StringComparer.Ordinal)
    {
        ["creditexchange.records.v1.RecordService/SubmitRecord"] = ("court", () => TestData.Submission()),
        ["creditexchange.records.v1.RecordService/SubmitRecords"] = ("court", () => new SubmitRecordsRequest { Item = TestData.Submission() }),
        ["creditexchange.records.v1.RecordService/GetRecord"] = ("drc", () => new GetRecordRequest { RecordId = Id() }),
        ["creditexchange.records.v1.RecordService/ListSubjectRecords"] = ("drc", () => new ListSubjectRecordsRequest { Subject = Key() }),
        ["creditexchange.lifecycle.v1.LifecycleService/FileObjection"] = ("drc", () => new FileObjectionRequest { RecordId = Id(), ExpectedVersion = 1, Grounds = "事实有误。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/AnswerObjection"] = ("court", () => new AnswerObjectionRequest { ObjectionId = Id(), ExpectedVersion = 2, Outcome = ObjectionState.Dismissed, Answer = "维持原记录。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/ExtendObjectionAnswer"] = ("court", () => new ExtendObjectionAnswerRequest { ObjectionId = Id(), ExpectedVersion = 2, NewAnswerDueDate = "2026-12-10", Reason = "案情复杂，需进行核查。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/CorrectRecord"] = ("court", () => new CorrectRecordRequest { RecordId = Id(), ExpectedVersion = 1, Content = TestData.Submission().Record, Reason = "更正文书号。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/RevokeRecord"] = ("court", () => new RevokeRecordRequest { RecordId = Id(), ExpectedVersion = 1, Reason = "判决被撤销。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/ReviewSanction"] = ("supervision", () => new ReviewSanctionRequest
        {
            RecordId = Id(), ExpectedVersion = 1, Outcome = SanctionReviewOutcome.Changed, SanctionKind = SanctionKind.Warning,
            DecisionDocumentNumber = "内监复〔2026〕3号", DecisionDate = "2026-01-05", Reason = "复审变更。",
        }),
        ["creditexchange.lifecycle.v1.LifecycleService/ApplyForRepair"] = ("drc", () => new ApplyForRepairRequest { RecordId = Id(), ExpectedVersion = 1, ObligationsFulfilled = true, ObligationsEvidence = "已履行。", CreditCommitment = "承诺守信。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/DecideRepair"] = ("court", () => new DecideRepairRequest { RepairId = Id(), ExpectedVersion = 1, Decision = RepairState.Approved, Reason = "符合条件。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/ListOverdueObjections"] = ("drc", () => new ListOverdueObjectionsRequest()),
        ["creditexchange.lifecycle.v1.LifecycleService/GetRecordHistory"] = ("drc", () => new GetRecordHistoryRequest { RecordId = Id() }),
        ["creditexchange.appraisal.v1.AppraisalService/CheckCandidate"] = ("drc", () => new CheckCandidateRequest { Purpose = Purpose(), Subject = Key() }),
        ["creditexchange.appraisal.v1.AppraisalService/CheckCandidates"] = ("drc", () => new CheckCandidatesRequest { Purpose = Purpose(), Subjects = { Key(), Key() } }),
        ["creditexchange.creditfile.v1.CreditFileService/GetCreditFile"] = ("drc", () => new GetCreditFileRequest { Subject = Key() }),
        ["creditexchange.statistics.v1.StatisticsService/GetRecordStatistics"] = ("drc", () => new GetRecordStatisticsRequest { DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-12-31", GroupBy = { Dimension.Category } }),
        ["creditexchange.statistics.v1.StatisticsService/ListWarnings"] = ("drc", () => new ListWarningsRequest { DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-12-31" }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/SubmitEntry"] = ("housing", () => new SubmitEntryRequest { SourceEntryId = "hb-1", Entry = Bidding.BiddingTestData.Entry() }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/RemoveEntry"] = ("housing", () => new RemoveEntryRequest { EntryId = Id(), ExpectedVersion = 1, Reason = "处理决定被撤销。" }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/GetEntry"] = ("drc", () => new GetEntryRequest { EntryId = Id() }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/ListPublishedEntries"] = ("drc", () => new ListPublishedEntriesRequest()),
        ["creditexchange.bidding.v1.BiddingBlacklistService/FileEntryObjection"] = ("drc", () => new FileEntryObjectionRequest { EntryId = Id(), ExpectedVersion = 1, Grounds = "事实有误。" }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/AnswerEntryObjection"] = ("housing", () => new AnswerEntryObjectionRequest { EntryId = Id(), ExpectedVersion = 2, Upheld = false, Answer = "维持列入决定。" }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/PublishTenderingAgency"] = ("housing", () => new PublishTenderingAgencyRequest { Profile = Bidding.BiddingTestData.Profile() }),
        ["creditexchange.bidding.v1.BiddingBlacklistService/GetTenderingAgency"] = ("drc", () => new GetTenderingAgencyRequest { CreditCode = Bidding.BiddingTestData.AgencyCode }),
        ["creditexchange.evaluation.v1.EvaluationService/EvaluateIntegrity"] = ("drc", () => new EvaluateIntegrityRequest { Scope = new EvaluationScope { DivisionCode = "150100" }, Period = "2025" }),
        ["creditexchange.evaluation.v1.EvaluationService/PublishEvaluation"] = ("drc", () => new PublishEvaluationRequest { Scope = new EvaluationScope { DivisionCode = "150100" }, Period = "2025" }),
        ["creditexchange.evaluation.v1.EvaluationService/ListIntegrityStandards"] = ("court", () => new ListIntegrityStandardsRequest()),
        ["creditexchange.evaluation.v1.EvaluationService/RankRegions"] = ("drc", () => new RankRegionsRequest { ParentDivisionCode = "150000", Period = "2025" }),
        ["creditexchange.audit.v1.AuditService/ListAuditEntries"] = ("drc", () => new ListAuditEntriesRequest { AgencyId = "court" }),
        ["creditexchange.audit.v1.AuditService/VerifyAuditChain"] = ("drc", () => new VerifyAuditChainRequest()),
        ["creditexchange.audit.v1.AuditService/ListCheckpoints"] = ("drc", () => new ListCheckpointsRequest { PageSize = 10 }),
        ["creditexchange.audit.v1.AuditService/GetChangeReach"] = ("drc", () => new GetChangeReachRequest { RecordId = Guid.NewGuid().ToString(), Version = 2 }),
        ["creditexchange.audit.v1.AuditService/GetChangeReachStatistics"] = ("drc", () => new GetChangeReachStatisticsRequest()),
        ["creditexchange.receipts.v1.ReceiptService/GetReceiptKeys"] = ("drc", () => new GetReceiptKeysRequest()),
        ["creditexchange.evidence.v1.EvidenceService/ExportEvidence"] = ("drc", () => new CreditExchange.Contracts.Evidence.V1.ExportEvidenceRequest { RecordId = Id(), Purpose = "案件（2026）内01民初1号调查取证" }),
        ["creditexchange.admin.v1.AdminService/ListAgencies"] = ("drc", () => new ListAgenciesRequest()),
        ["creditexchange.admin.v1.AdminService/RegisterAgency"] = ("drc", () => new RegisterAgencyRequest
        {
            AgencyId = "outage-" + Guid.NewGuid().ToString("N")[..8],
            DisplayName = "Outage test agency",
            Competence = new Competence { Categories = { Category.BreachOfCommitment }, Scopes = { "records.submit" } },
            Purpose = "outage test",
        }),
        ["creditexchange.admin.v1.AdminService/UpdateAgency"] = ("drc", () => new UpdateAgencyRequest
        {
            AgencyId = "commerce",
            Competence = new Competence { Categories = { Category.BreachOfCommitment }, Domains = { RecordDomain.InvestmentPromotion }, Scopes = { "records.submit", "records.read" } },
            Purpose = "outage test",
        }),
        ["creditexchange.admin.v1.AdminService/RotateAgencyCertificate"] = ("drc", () => new RotateAgencyCertificateRequest
        {
            AgencyId = "commerce",
            Certificate = new CertificateIdentity { Uri = "urn:creditexchange:agency:commerce" },
            Purpose = "outage test",
        }),
        ["creditexchange.admin.v1.AdminService/SuspendAgency"] = ("drc", () => new SuspendAgencyRequest { AgencyId = "commerce", Purpose = "outage test" }),
        ["creditexchange.admin.v1.AdminService/ReinstateAgency"] = ("drc", () => new ReinstateAgencyRequest { AgencyId = "commerce", Purpose = "outage test" }),
        ["creditexchange.admin.v1.AdminService/ReloadRevocationList"] = ("drc", () => new ReloadRevocationListRequest { Purpose = "outage test" }),
        ["creditexchange.records.v1.RecordService/ListProjectRecords"] = ("drc", () => new ListProjectRecordsRequest { ProjectCode = "PPP-150102-2019-0007" }),
        ["creditexchange.lifecycle.v1.LifecycleService/RemoveJudgmentDebtorListing"] = ("court", () => new RemoveJudgmentDebtorListingRequest
        {
            RecordId = Id(), ExpectedVersion = 1, Ground = ListingRemovalGround.Performed, Reason = "已履行完毕。",
        }),
        ["creditexchange.lifecycle.v1.LifecycleService/FileComplaint"] = ("drc", () => new FileComplaintRequest { ObjectionId = Id(), Ground = ComplaintGround.Late, Grounds = "答复超期。" }),
        ["creditexchange.lifecycle.v1.LifecycleService/ReviewComplaint"] = ("supervision", () => new ReviewComplaintRequest { ComplaintId = Id(), Decision = ComplaintState.Upheld, DecisionText = "投诉成立。" }),
        ["creditexchange.feed.v1.FeedService/Subscribe"] = ("drc", () => new CreditExchange.Contracts.Feed.V1.SubscribeRequest { AfterSequence = 0 }),
        ["creditexchange.feed.v1.FeedService/AcknowledgeEvents"] = ("drc", () => new CreditExchange.Contracts.Feed.V1.AcknowledgeEventsRequest { Subscription = "outage", Sequence = 0 }),
        ["creditexchange.feed.v1.FeedService/ListSubscriptions"] = ("drc", () => new CreditExchange.Contracts.Feed.V1.ListSubscriptionsRequest()),
        ["creditexchange.feed.v1.FeedService/DeleteSubscription"] = ("drc", () => new CreditExchange.Contracts.Feed.V1.DeleteSubscriptionRequest { Subscription = "outage" }),
        ["creditexchange.publication.v1.PublicationService/ListPublications"] = ("drc", () => new CreditExchange.Contracts.Publication.V1.ListPublicationsRequest()),
        ["creditexchange.publication.v1.PublicationService/ListPublicationChanges"] = ("drc", () => new CreditExchange.Contracts.Publication.V1.ListPublicationChangesRequest { AfterSequence = 0 }),
        ["creditexchange.publication.v1.PublicationService/GetPublication"] = ("drc", () => new CreditExchange.Contracts.Publication.V1.GetPublicationRequest { RecordId = Id() }),
    };

    /// <summary>Every method of every CreditExchange service, as "package.Service/Method" with its kind, from the contract.</summary>
    public static IReadOnlyList<(string Name, MethodType Type)> Methods() =>
        HubContract.Methods.Select(m => ($"{m.Service.FullName}/{m.Name}", (m.IsClientStreaming, m.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        })).ToList();

    /// <summary>The agency and valid request for a method; fails when the method has no entry yet.</summary>
    public static (string Agency, IMessage Request) For(string method) =>
        Calls.TryGetValue(method, out var call)
            ? (call.Agency, call.Request())
            : throw new InvalidOperationException($"ContractCalls has no valid request for {method}: add one.");

    /// <summary>
    /// Calls a method with its request as raw bytes: unary; a client stream of that one item; or a server stream, read
    /// up to its first message (a stream that answers at all has passed every check).
    /// </summary>
    public static async Task<byte[]> InvokeAsync(GrpcChannel channel, string method, MethodType type, IMessage request, TimeSpan timeout)
    {
        var slash = method.IndexOf('/', StringComparison.Ordinal);
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var options = new CallOptions(deadline: DateTime.UtcNow + timeout);
        var invoker = channel.CreateCallInvoker();
        var descriptor = new Method<byte[], byte[]>(type, method[..slash], method[(slash + 1)..], bytes, bytes);
        switch (type)
        {
            case MethodType.Unary:
                return await invoker.AsyncUnaryCall(descriptor, null, options, request.ToByteArray());
            case MethodType.ClientStreaming:
            {
                using var call = invoker.AsyncClientStreamingCall(descriptor, null, options);
                await call.RequestStream.WriteAsync(request.ToByteArray());
                await call.RequestStream.CompleteAsync();
                return await call.ResponseAsync;
            }

            case MethodType.ServerStreaming:
            {
                using var call = invoker.AsyncServerStreamingCall(descriptor, null, options, request.ToByteArray());
                return await call.ResponseStream.MoveNext(CancellationToken.None) ? call.ResponseStream.Current : [];
            }

            default:
                throw new NotSupportedException($"{method}: {type} calls are not in the contract yet; teach ContractCalls to make one.");
        }
    }

    private static string Id() => Guid.NewGuid().ToString();

    private static SubjectKey Key() => new() { CreditCode = TestData.NewCreditCode() };

    private static CreditExchange.Contracts.Appraisal.V1.Purpose Purpose() => new() { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" };
}
