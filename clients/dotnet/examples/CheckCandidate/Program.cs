// Checks one candidate for an honour as the regional credit platform (DRC). Run from the repository root while the hub runs:
//   dotnet run --project clients/dotnet/examples/CheckCandidate
using CreditExchange.Client;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Records.V1;

using var hub = CreditExchangeClient.Create(new Uri("https://localhost:5443"), "drc",
    "certs-dev/agencies/drc.crt", "certs-dev/agencies/drc.key", "certs-dev/ca.crt");
try
{
    var check = await hub.Appraisal.CheckCandidateAsync(new CheckCandidateRequest
    {
        Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" },
        Subject = new SubjectKey { CreditCode = args.FirstOrDefault() ?? "111501000123456712" },
    });
    // The answer lists the newest 20 deciding records at most and counts them all; GetCreditFile reads the rest.
    Console.WriteLine($"{check.Result.Decision}: {check.Result.DecidingRecordCount} deciding records, {check.Result.DecidingRecords.Count} listed");
}
catch (CreditExchangeException e)
{
    Console.WriteLine($"refused: {e.StatusCode} {e.Reason}");
    foreach (var v in e.FieldViolations)
    {
        Console.WriteLine($"  {v.Field}: {v.Description}");
    }
}
