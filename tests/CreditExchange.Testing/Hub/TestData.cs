using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Identifiers;
using Google.Rpc;
using Grpc.Core;

namespace CreditExchange.Tests.Hub;

public static class TestData
{
    private static int _counter = Environment.ProcessId * 1000;

    /// <summary>A unique, valid unified social credit code of a government body (机构编制, 机关) in Hohhot.</summary>
    public static string NewCreditCode()
    {
        var n = Interlocked.Increment(ref _counter);
        var body = (n % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var first17 = "11150100" + body + UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(body);
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }

    /// <summary>A unique, valid resident ID number of someone born in Hohhot in 1980.</summary>
    public static string NewResidentId()
    {
        var n = Interlocked.Increment(ref _counter);
        var day = new DateOnly(1980, 1, 1).AddDays(n % 3000);
        var first17 = "150102" + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + (n % 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        return first17 + ResidentIdNumber.ComputeCheckCharacter(first17);
    }

    public static string NewSourceId(string prefix = "src") => $"{prefix}-{Guid.NewGuid():N}";

    public static Subject GovernmentSubject(string? creditCode = null) => new()
    {
        GovernmentBody = new GovernmentBody { CreditCode = creditCode ?? NewCreditCode(), Name = "呼和浩特市某区人民政府" },
        DivisionCode = "150102",
    };

    public static Subject CivilServantSubject(string? residentId = null) => new()
    {
        CivilServant = new CivilServant { ResidentId = residentId ?? NewResidentId(), Name = "张三", Position = "科长" },
        DivisionCode = "150102",
    };

    public static SubmitRecordRequest Submission(
        Category category = Category.JudicialJudgment,
        RecordDomain domain = RecordDomain.Other,
        Subject? subject = null,
        string decisionDate = "2025-03-01",
        string? sourceId = null) => new()
        {
            SourceRecordId = sourceId ?? NewSourceId(),
            Record = new RecordContent
            {
                Subject = subject ?? GovernmentSubject(),
                Category = category,
                Severity = Severity.General,
                Domain = domain,
                DecisionDocumentNumber = "(2025)内01执123号",
                DecidingAuthority = new Authority { Name = "呼和浩特市中级人民法院", CreditCode = "91152201078371135X" },
                DecisionDate = decisionDate,
                Facts = "拒不履行生效判决确定的给付义务。",
                LegalBasis = "《中华人民共和国民事诉讼法》第二百六十六条",
                Penalty = new Penalty { Text = "纳入失信记录", Kinds = { PenaltyKind.PublicCriticism } },
                Disclosure = Disclosure.Public,
            },
        };

    /// <summary>The google.rpc.ErrorInfo reason of a failed call.</summary>
    public static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    /// <summary>The field paths of the google.rpc.BadRequest detail of a failed call.</summary>
    public static IReadOnlyList<string> ViolatedFields(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
