// Submits one record as the court, then verifies the hub's receipt. Run from the repository root while the hub runs:
//   dotnet run --project clients/dotnet/examples/SubmitRecord
using CreditExchange.Client;
using CreditExchange.Contracts.Records.V1;

using var hub = CreditExchangeClient.Create(new Uri("https://localhost:5443"), "court",
    "certs-dev/agencies/court.crt", "certs-dev/agencies/court.key", "certs-dev/ca.crt");
var answer = await hub.Records.SubmitRecordAsync(new SubmitRecordRequest
{
    SourceRecordId = "court-example-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss"),
    Record = new RecordContent
    {
        Subject = new Subject { GovernmentBody = new GovernmentBody { CreditCode = "111501000123456712", Name = "呼和浩特市某区人民政府" }, DivisionCode = "150102" },
        Category = Category.JudicialJudgment, Severity = Severity.General, Domain = RecordDomain.Other,
        DecisionDocumentNumber = "(2025)内01执123号",
        DecidingAuthority = new Authority { Name = "呼和浩特市中级人民法院", CreditCode = "91152201078371135X" },
        DecisionDate = "2025-03-01", Facts = "拒不履行生效判决确定的给付义务。", LegalBasis = "《中华人民共和国民事诉讼法》第二百六十六条",
        Penalty = new Penalty { Text = "纳入失信记录", Kinds = { PenaltyKind.PublicCriticism } },
        Disclosure = Disclosure.Public,
    },
});
var receipt = await hub.VerifyReceiptAsync(answer.Receipt, answer.Record.Content);
Console.WriteLine($"record {answer.Record.RecordId}, duplicate {answer.Duplicate}, receipt sequence {receipt.Sequence}");
