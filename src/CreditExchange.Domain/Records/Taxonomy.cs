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

public enum RecordDisclosure
{
    Public = 1,
    SharedOnly = 2,
}

/// <summary>Penalty kinds of the Administrative Penalty Law (2021), article 9.</summary>
public enum PenaltyKind
{
    Warning = 1,
    PublicCriticism = 2,
    Fine = 3,
    ConfiscationOfIllegalGains = 4,
    ConfiscationOfIllegalProperty = 5,
    LicenceSuspension = 6,
    QualificationDowngrade = 7,
    LicenceRevocation = 8,
    BusinessRestriction = 9,
    OrderToSuspend = 10,
    OrderToClose = 11,
    EmploymentRestriction = 12,
    AdministrativeDetention = 13,
}

/// <summary>Disciplinary sanctions (政务处分), 公职人员政务处分法 article 7, in ascending gravity.</summary>
public enum SanctionKind
{
    Warning = 1,
    Demerit = 2,
    MajorDemerit = 3,
    Demotion = 4,
    RemovalFromPost = 5,
    Dismissal = 6,
}

/// <summary>Accountability measures (问责方式), 中国共产党问责条例 article 8.</summary>
public enum AccountabilityMeasure
{
    CirculatedCriticism = 1,
    Admonition = 2,
    OrganizationalAdjustment = 3,
    DisciplinaryAction = 4,
}

/// <summary>In which role a record names a person responsible (records.v1 ResponsibleRole).</summary>
public enum ResponsibleRole
{
    /// <summary>主要负责人.</summary>
    Principal = 1,

    /// <summary>相关责任人.</summary>
    Related = 2,

    /// <summary>The legal representative or person in charge of a body listed as a judgment debtor.</summary>
    DebtorPersonInCharge = 3,
}

/// <summary>The dishonest conducts for which a court lists a judgment debtor, 法释〔2017〕7号 art. 1 (一)–(六).</summary>
public enum DishonestConduct
{
    RefusalDespiteAbility = 1,
    ObstructionOfEnforcement = 2,
    EvasionOfEnforcement = 3,
    PropertyReportViolation = 4,
    ConsumptionOrderViolation = 5,
    SettlementBreach = 6,
}

/// <summary>Why a court removes a judgment-debtor listing, 法释〔2017〕7号 art. 10 (一)–(七) and art. 2.</summary>
public enum ListingRemovalGround
{
    Performed = 1,
    SettlementPerformed = 2,
    ApplicantRequest = 3,
    NoEnforceableProperty = 4,
    EnforcementSuspended = 5,
    EnforcementRefused = 6,
    EnforcementTerminated = 7,
    EarlyRemoval = 8,
    ListingPeriodEnded = 9,
}
