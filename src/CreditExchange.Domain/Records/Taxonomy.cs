namespace CreditExchange.Domain.Records;

// The numbers are the contract's enum numbers (creditexchange.records.v1), so mapping is a cast.

public enum RecordCategory
{
    JudicialJudgment = 1,
    AdministrativePenalty = 2,
    DisciplinarySanction = 3,
    AccountabilityAction = 4,
    BreachOfCommitment = 5,
    ProcuratorialOutcome = 6,
}

public enum RecordDomain
{
    Procurement = 1,
    Ppp = 2,
    Bidding = 3,
    InvestmentPromotion = 4,
    GovernmentDebt = 5,
    Township = 6,
    Other = 7,
}

public enum SubjectKind
{
    GovernmentBody = 1,
    CivilServant = 2,
}

public enum RecordSeverity
{
    Minor = 1,
    General = 2,
    Serious = 3,
}

public enum RecordStatus
{
    Active = 1,
    InDispute = 2,
    Corrected = 3,
    Revoked = 4,
    Repaired = 5,
    Expired = 6,
}
