using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using static CreditExchange.Tests.Records.LawRecordsTestData;

namespace CreditExchange.Tests.Records;

/// <summary>
/// What the law says a record's new fields may hold, refused field by field (proto paths, stable
/// reasons) with nothing stored: government-body codes, township codes, judgment-debtor listings,
/// responsible persons, projects and arrears.
/// </summary>
[Collection("postgres")]
public sealed class LawFieldValidationTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>A valid enterprise code (registration authority 9) the operator lists as a legitimately nonconforming government body.</summary>
    private const string OverriddenCode = "91350100M000100Y43";

    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(),
        new Dictionary<string, string?> { ["Hub:AcceptedNonconformingCreditCodes:0"] = OverriddenCode },
        LifecycleKit.NewClock());

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public static TheoryData<string, string, string> Refused => new()
    {
        // case, violated field, reason
        { "enterprise_code_as_body", "record.subject.government_body.credit_code", "not_government_body_code" },
        { "social_organisation_as_body", "record.subject.government_body.credit_code", "not_government_body_code" },
        { "township_in_unknown_prefecture", "record.subject.division_code", "unknown_region" },
        { "township_in_prefecture_itself", "record.subject.division_code", "unknown_region" },
        { "township_000", "record.subject.division_code", "unknown_region" },
        { "township_in_retired_league", "record.subject.division_code", "retired_region" },
        { "ten_digit_division", "record.subject.division_code", "string.pattern" },
        { "listing_with_validity_end", "record.validity_end_date", "not_allowed" },
        { "listing_extended_without_period", "record.judgment_debtor.listing_extension_years", "not_allowed" },
        { "listing_extended_four_years", "record.judgment_debtor.listing_extension_years", "int32.gte_lte" },
        { "listing_filed_after_decision", "record.judgment_debtor.filing_date", "after_decision" },
        { "listing_filed_impossible_day", "record.judgment_debtor.filing_date", "impossible_date" },
        { "listing_without_conduct", "record.judgment_debtor.conducts", "repeated.min_items" },
        { "listing_outside_judgments", "record.judgment_debtor", "not_allowed" },
        { "listing_person_in_charge_of_a_person", "record.judgment_debtor.person_in_charge", "not_allowed" },
        { "listing_person_in_charge_bad_id", "record.judgment_debtor.person_in_charge.resident_id", "check_character_mismatch" },
        { "listing_court_bad_code", "record.judgment_debtor.enforcing_court.credit_code", "check_character_mismatch" },
        { "persons_two_principals", "record.responsible_persons[1].role", "duplicate_principal" },
        { "persons_without_role", "record.responsible_persons[2].role", "required" },
        { "persons_person_in_charge_role", "record.responsible_persons[0].role", "not_allowed" },
        { "persons_with_single_person", "record.responsible_person", "not_allowed" },
        { "persons_of_a_civil_servant", "record.responsible_persons", "not_allowed" },
        { "persons_bad_id", "record.responsible_persons[0].resident_id", "check_character_mismatch" },
        { "project_agency_bad_code", "record.project.implementing_agency.credit_code", "check_character_mismatch" },
        { "arrears_without_kind", "record.arrears", "required" },
        { "arrears_overpaid", "record.arrears.project_payments.paid_fen", "exceeds_owed" },
        { "arrears_settled_unpaid", "record.arrears.migrant_workers_wages.settled_date", "not_allowed" },
        { "arrears_paid_undated", "record.arrears.project_payments.settled_date", "required" },
        { "arrears_settled_in_future", "record.arrears.project_payments.settled_date", "date_in_future" },
        { "arrears_settled_before_decision", "record.arrears.project_payments.settled_date", "before_decision" },
        { "arrears_zero_owed", "record.arrears.project_payments.owed_fen", "int64.gte_lte" },
        { "arrears_penalty_mismatch", "record.penalty.arrears_fen", "arrears_mismatch" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task SubmitRecord_LawFieldBreakingItsRule_FieldViolationNothingStored(string @case, string field, string reason)
    {
        var (agency, request) = Case(@case);
        var before = _hub.CountRecords();

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records(agency).SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "INVALID_REQUEST"), (e.StatusCode, TestData.Reason(e)));
        Assert.Contains(Violations(e), v => (v.Field, v.Reason) == (field, reason));
        Assert.Equal(before, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecord_TownshipCodeOverriddenCodeAndEveryLawField_Accepted()
    {
        var township = JudgmentDebtor("2025-03-01", subject: AppraisalTestBody("150102001"));
        var overridden = TestData.Submission(subject: TestData.GovernmentSubject(OverriddenCode));
        var ppp = PppJudgment("2025-03-01", "PPP-1", TestData.NewResidentId(), TestData.NewResidentId());
        ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(250_000_000, 250_000_000, "2026-01-05"), MigrantWorkersWages = Owed(1) };

        foreach (var request in new[] { township, overridden, ppp })
        {
            var accepted = (await _hub.Records("court").SubmitRecordAsync(request)).Record;
            Assert.Equal(request.Record, accepted.Content);
        }
    }

    [Fact]
    public async Task CorrectRecord_EnterpriseCodeAsBody_FieldViolationOnTheContentPath()
    {
        var record = (await _hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record;
        var content = record.Content.Clone();
        content.Subject.GovernmentBody.CreditCode = "91152201078371135X";

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("court").CorrectRecordAsync(new CorrectRecordRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Content = content, Reason = "更正",
        }).ResponseAsync);

        Assert.Contains(Violations(e), v => (v.Field, v.Reason) == ("content.subject.government_body.credit_code", "not_government_body_code"));
        Assert.Equal(1, (await _hub.GetAsync(record.RecordId)).Version);
    }

    private static Subject AppraisalTestBody(string division) => Appraisal.AppraisalTestData.Body(division);

    private static (string Agency, SubmitRecordRequest Request) Case(string @case)
    {
        var plain = TestData.Submission(decisionDate: "2025-03-01");
        var listing = JudgmentDebtor("2025-03-01");
        var ppp = PppJudgment("2025-03-01", "PPP-1", null, null);
        var debtor = listing.Record.JudgmentDebtor;
        var persons = ppp.Record.ResponsiblePersons;
        switch (@case)
        {
            case "enterprise_code_as_body": plain.Record.Subject.GovernmentBody.CreditCode = "91152201078371135X"; return ("court", plain);
            case "social_organisation_as_body": plain.Record.Subject.GovernmentBody.CreditCode = "531000005000160090"; return ("court", plain);
            case "township_in_unknown_prefecture": plain.Record.Subject.DivisionCode = "159901001"; return ("court", plain);
            case "township_in_prefecture_itself": plain.Record.Subject.DivisionCode = "150100001"; return ("court", plain);
            case "township_000": plain.Record.Subject.DivisionCode = "150102000"; return ("court", plain);
            case "township_in_retired_league": plain.Record.Subject.DivisionCode = "152101001"; return ("court", plain);
            case "ten_digit_division": plain.Record.Subject.DivisionCode = "1501020011"; return ("court", plain);
            case "listing_with_validity_end": listing.Record.ValidityEndDate = "2027-03-01"; return ("court", listing);
            case "listing_extended_without_period":
                debtor.Conducts.Clear();
                debtor.Conducts.Add(DishonestConduct.RefusalDespiteAbility);
                debtor.ListingExtensionYears = 2;
                return ("court", listing);
            case "listing_extended_four_years": debtor.ListingExtensionYears = 4; return ("court", listing);
            case "listing_filed_after_decision": debtor.FilingDate = "2025-03-02"; return ("court", listing);
            case "listing_filed_impossible_day": debtor.FilingDate = "2025-02-30"; return ("court", listing);
            case "listing_without_conduct": debtor.Conducts.Clear(); return ("court", listing);
            case "listing_outside_judgments":
                listing.Record.Category = Category.DisciplinarySanction;
                listing.Record.Subject = TestData.CivilServantSubject();
                debtor.PersonInCharge = null;
                return ("supervision", listing);
            case "listing_person_in_charge_of_a_person": listing.Record.Subject = TestData.CivilServantSubject(); return ("court", listing);
            case "listing_person_in_charge_bad_id": debtor.PersonInCharge.ResidentId = "36042619910102009X"; return ("court", listing);
            case "listing_court_bad_code": debtor.EnforcingCourt.CreditCode = "91110108551385082F"; return ("court", listing);
            case "persons_two_principals": persons[1].Role = ResponsibleRole.Principal; return ("court", ppp);
            case "persons_without_role": persons[2].Role = ResponsibleRole.Unspecified; return ("court", ppp);
            case "persons_person_in_charge_role": persons[0].Role = ResponsibleRole.DebtorPersonInCharge; return ("court", ppp);
            case "persons_with_single_person": ppp.Record.ResponsiblePerson = new ResponsiblePerson { Name = "周某" }; return ("court", ppp);
            case "persons_of_a_civil_servant": ppp.Record.Subject = TestData.CivilServantSubject(); return ("court", ppp);
            case "persons_bad_id": persons[0].ResidentId = "36042619910102009X"; return ("court", ppp);
            case "project_agency_bad_code": ppp.Record.Project.ImplementingAgency.CreditCode = "91110108551385082F"; return ("court", ppp);
            case "arrears_without_kind": ppp.Record.Arrears = new Arrears(); return ("court", ppp);
            case "arrears_overpaid": ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(100, 101) }; return ("court", ppp);
            case "arrears_settled_unpaid": ppp.Record.Arrears = new Arrears { MigrantWorkersWages = Owed(100, 50, "2026-01-05") }; return ("court", ppp);
            case "arrears_paid_undated": ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(100, 100) }; return ("court", ppp);
            case "arrears_settled_in_future": ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(100, 100, "2026-11-27") }; return ("court", ppp);
            case "arrears_settled_before_decision": ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(100, 100, "2025-02-28") }; return ("court", ppp);
            case "arrears_zero_owed": ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(0) }; return ("court", ppp);
            case "arrears_penalty_mismatch":
                ppp.Record.Arrears = new Arrears { ProjectPayments = Owed(100), MigrantWorkersWages = Owed(50) };
                ppp.Record.Penalty.ArrearsFen = 100;
                return ("court", ppp);
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, "No such case.");
        }
    }
}
