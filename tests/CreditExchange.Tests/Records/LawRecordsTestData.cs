using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Tests.Records;

/// <summary>Records as the law describes them (issue 10): court listings of judgment debtors, PPP records naming responsible persons, typed arrears.</summary>
internal static class LawRecordsTestData
{
    public static readonly Authority HohhotIntermediateCourt = new() { Name = "呼和浩特市中级人民法院", CreditCode = "11150100011524408D" };

    /// <summary>
    /// A court's listing of a government body as a dishonest judgment debtor, every field set: listed on
    /// <paramref name="decisionDate"/> for obstructing enforcement (a two-year listing), extended by
    /// <paramref name="extensionYears"/>, its principal named as person in charge.
    /// </summary>
    public static SubmitRecordRequest JudgmentDebtor(
        string decisionDate, int extensionYears = 1, string? personInChargeId = null, DishonestConduct[]? conducts = null, Subject? subject = null)
    {
        var request = TestData.Submission(Category.JudicialJudgment, RecordDomain.Ppp, subject ?? TestData.GovernmentSubject(), decisionDate);
        var record = request.Record;
        record.DecisionDocumentNumber = "(2025)内01执恢88号之一";
        record.DecidingAuthority = HohhotIntermediateCourt.Clone();
        record.ConductType = "拒不履行生效判决";
        record.JudgmentDebtor = new JudgmentDebtor
        {
            EnforcementCaseNumber = "(2025)内01执88号",
            EnforcingCourt = HohhotIntermediateCourt.Clone(),
            BasisDocumentNumber = "(2024)内01民初12号",
            BasisIssuingBody = "呼和浩特市中级人民法院",
            FilingDate = DateOnly.ParseExact(decisionDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-54)
                .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Obligation = "支付工程款人民币2500000元及逾期付款利息。",
            Performance = PerformanceStatus.PartiallyPerformed,
            PerformanceDetails = "已支付500000元。",
            Conducts = { conducts ?? [DishonestConduct.RefusalDespiteAbility, DishonestConduct.ObstructionOfEnforcement] },
            ConductDetails = "以转移财产方式妨碍执行。",
            ListingExtensionYears = extensionYears,
            PersonInCharge = new PersonInCharge { Name = "王某", Position = "区长", ResidentId = personInChargeId ?? TestData.NewResidentId() },
        };
        return request;
    }

    /// <summary>A court judgment in a PPP project against a government body, naming its principal and a related responsible person.</summary>
    public static SubmitRecordRequest PppJudgment(string decisionDate, string projectCode, string? principalId, string? relatedId, Subject? subject = null)
    {
        var request = TestData.Submission(Category.JudicialJudgment, RecordDomain.Ppp, subject ?? TestData.GovernmentSubject(), decisionDate);
        var record = request.Record;
        record.Facts = "政府方未按PPP项目合同约定支付可行性缺口补助，拖欠工程款。";
        record.ConductType = "政府方违约";
        record.Project = new ProjectReference
        {
            Code = projectCode,
            Name = "呼和浩特市某区污水处理厂PPP项目",
            ImplementingAgency = new Authority { Name = "呼和浩特市某区住房和城乡建设局", CreditCode = TestData.NewCreditCode() },
            Stage = ProjectStage.Execution,
        };
        record.ResponsiblePersons.Add(new ResponsiblePerson { Name = "赵某", Position = "副区长", Role = ResponsibleRole.Principal, ResidentId = principalId ?? "" });
        record.ResponsiblePersons.Add(new ResponsiblePerson { Name = "钱某", Position = "住建局局长", Role = ResponsibleRole.Related, ResidentId = relatedId ?? "" });
        record.ResponsiblePersons.Add(new ResponsiblePerson { Name = "孙某", Position = "科员", Role = ResponsibleRole.Related });
        return request;
    }

    /// <summary>A 政务处分 of <paramref name="kind"/> about a civil servant: general, or serious for 开除, which requires it.</summary>
    public static SubmitRecordRequest Sanction(SanctionKind kind, string decided = "2025-03-01", Severity? severity = null, string? residentId = null)
    {
        var request = TestData.Submission(Category.DisciplinarySanction, subject: TestData.CivilServantSubject(residentId), decisionDate: decided);
        request.Record.SanctionKind = kind;
        request.Record.Severity = severity ?? (kind == SanctionKind.Dismissal ? Severity.Serious : Severity.General);
        request.Record.Penalty.Kinds.Clear();
        return request;
    }

    public static ArrearsAmount Owed(long owedFen, long paidFen = 0, string settledDate = "") => new() { OwedFen = owedFen, PaidFen = paidFen, SettledDate = settledDate };

    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
}
