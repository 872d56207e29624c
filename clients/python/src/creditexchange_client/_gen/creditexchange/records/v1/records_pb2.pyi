from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.api.v1 import signing_pb2 as _signing_pb2
from creditexchange.receipts.v1 import receipts_pb2 as _receipts_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.rpc import status_pb2 as _status_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACCOUNTABILITY_MEASURE_ADMONITION: AccountabilityMeasure
ACCOUNTABILITY_MEASURE_CIRCULATED_CRITICISM: AccountabilityMeasure
ACCOUNTABILITY_MEASURE_DISCIPLINARY_ACTION: AccountabilityMeasure
ACCOUNTABILITY_MEASURE_ORGANIZATIONAL_ADJUSTMENT: AccountabilityMeasure
ACCOUNTABILITY_MEASURE_UNSPECIFIED: AccountabilityMeasure
CATEGORY_ACCOUNTABILITY_ACTION: Category
CATEGORY_ADMINISTRATIVE_PENALTY: Category
CATEGORY_BREACH_OF_COMMITMENT: Category
CATEGORY_DISCIPLINARY_SANCTION: Category
CATEGORY_JUDICIAL_JUDGMENT: Category
CATEGORY_PROCURATORIAL_OUTCOME: Category
CATEGORY_UNSPECIFIED: Category
DESCRIPTOR: _descriptor.FileDescriptor
DISCLOSURE_PUBLIC: Disclosure
DISCLOSURE_SHARED_ONLY: Disclosure
DISCLOSURE_UNSPECIFIED: Disclosure
DISHONEST_CONDUCT_CONSUMPTION_ORDER_VIOLATION: DishonestConduct
DISHONEST_CONDUCT_EVASION_OF_ENFORCEMENT: DishonestConduct
DISHONEST_CONDUCT_OBSTRUCTION_OF_ENFORCEMENT: DishonestConduct
DISHONEST_CONDUCT_PROPERTY_REPORT_VIOLATION: DishonestConduct
DISHONEST_CONDUCT_REFUSAL_DESPITE_ABILITY: DishonestConduct
DISHONEST_CONDUCT_SETTLEMENT_BREACH: DishonestConduct
DISHONEST_CONDUCT_UNSPECIFIED: DishonestConduct
LISTING_REMOVAL_GROUND_APPLICANT_REQUEST: ListingRemovalGround
LISTING_REMOVAL_GROUND_EARLY_REMOVAL: ListingRemovalGround
LISTING_REMOVAL_GROUND_ENFORCEMENT_REFUSED: ListingRemovalGround
LISTING_REMOVAL_GROUND_ENFORCEMENT_SUSPENDED: ListingRemovalGround
LISTING_REMOVAL_GROUND_ENFORCEMENT_TERMINATED: ListingRemovalGround
LISTING_REMOVAL_GROUND_LISTING_PERIOD_ENDED: ListingRemovalGround
LISTING_REMOVAL_GROUND_NO_ENFORCEABLE_PROPERTY: ListingRemovalGround
LISTING_REMOVAL_GROUND_PERFORMED: ListingRemovalGround
LISTING_REMOVAL_GROUND_SETTLEMENT_PERFORMED: ListingRemovalGround
LISTING_REMOVAL_GROUND_UNSPECIFIED: ListingRemovalGround
PENALTY_KIND_ADMINISTRATIVE_DETENTION: PenaltyKind
PENALTY_KIND_BUSINESS_RESTRICTION: PenaltyKind
PENALTY_KIND_CONFISCATION_OF_ILLEGAL_GAINS: PenaltyKind
PENALTY_KIND_CONFISCATION_OF_ILLEGAL_PROPERTY: PenaltyKind
PENALTY_KIND_EMPLOYMENT_RESTRICTION: PenaltyKind
PENALTY_KIND_FINE: PenaltyKind
PENALTY_KIND_LICENCE_REVOCATION: PenaltyKind
PENALTY_KIND_LICENCE_SUSPENSION: PenaltyKind
PENALTY_KIND_ORDER_TO_CLOSE: PenaltyKind
PENALTY_KIND_ORDER_TO_SUSPEND: PenaltyKind
PENALTY_KIND_PUBLIC_CRITICISM: PenaltyKind
PENALTY_KIND_QUALIFICATION_DOWNGRADE: PenaltyKind
PENALTY_KIND_UNSPECIFIED: PenaltyKind
PENALTY_KIND_WARNING: PenaltyKind
PERFORMANCE_STATUS_NOT_PERFORMED: PerformanceStatus
PERFORMANCE_STATUS_PARTIALLY_PERFORMED: PerformanceStatus
PERFORMANCE_STATUS_UNSPECIFIED: PerformanceStatus
PROJECT_STAGE_EXECUTION: ProjectStage
PROJECT_STAGE_HANDOVER: ProjectStage
PROJECT_STAGE_IDENTIFICATION: ProjectStage
PROJECT_STAGE_PREPARATION: ProjectStage
PROJECT_STAGE_PROCUREMENT: ProjectStage
PROJECT_STAGE_UNSPECIFIED: ProjectStage
RECORD_DOMAIN_BIDDING: RecordDomain
RECORD_DOMAIN_GOVERNMENT_DEBT: RecordDomain
RECORD_DOMAIN_INVESTMENT_PROMOTION: RecordDomain
RECORD_DOMAIN_OTHER: RecordDomain
RECORD_DOMAIN_PPP: RecordDomain
RECORD_DOMAIN_PROCUREMENT: RecordDomain
RECORD_DOMAIN_TOWNSHIP: RecordDomain
RECORD_DOMAIN_UNSPECIFIED: RecordDomain
RECORD_STATUS_ACTIVE: RecordStatus
RECORD_STATUS_CORRECTED: RecordStatus
RECORD_STATUS_EXPIRED: RecordStatus
RECORD_STATUS_IN_DISPUTE: RecordStatus
RECORD_STATUS_REPAIRED: RecordStatus
RECORD_STATUS_REVOKED: RecordStatus
RECORD_STATUS_UNSPECIFIED: RecordStatus
RESPONSIBLE_ROLE_DEBTOR_PERSON_IN_CHARGE: ResponsibleRole
RESPONSIBLE_ROLE_PRINCIPAL: ResponsibleRole
RESPONSIBLE_ROLE_RELATED: ResponsibleRole
RESPONSIBLE_ROLE_UNSPECIFIED: ResponsibleRole
SANCTION_KIND_DEMERIT: SanctionKind
SANCTION_KIND_DEMOTION: SanctionKind
SANCTION_KIND_DISMISSAL: SanctionKind
SANCTION_KIND_MAJOR_DEMERIT: SanctionKind
SANCTION_KIND_REMOVAL_FROM_POST: SanctionKind
SANCTION_KIND_UNSPECIFIED: SanctionKind
SANCTION_KIND_WARNING: SanctionKind
SEVERITY_GENERAL: Severity
SEVERITY_MINOR: Severity
SEVERITY_SERIOUS: Severity
SEVERITY_UNSPECIFIED: Severity

class Arrears(_message.Message):
    __slots__ = ["migrant_workers_wages", "project_payments"]
    MIGRANT_WORKERS_WAGES_FIELD_NUMBER: _ClassVar[int]
    PROJECT_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    migrant_workers_wages: ArrearsAmount
    project_payments: ArrearsAmount
    def __init__(self, project_payments: _Optional[_Union[ArrearsAmount, _Mapping]] = ..., migrant_workers_wages: _Optional[_Union[ArrearsAmount, _Mapping]] = ...) -> None: ...

class ArrearsAmount(_message.Message):
    __slots__ = ["owed_fen", "paid_fen", "settled_date"]
    OWED_FEN_FIELD_NUMBER: _ClassVar[int]
    PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    SETTLED_DATE_FIELD_NUMBER: _ClassVar[int]
    owed_fen: int
    paid_fen: int
    settled_date: str
    def __init__(self, owed_fen: _Optional[int] = ..., paid_fen: _Optional[int] = ..., settled_date: _Optional[str] = ...) -> None: ...

class Authority(_message.Message):
    __slots__ = ["credit_code", "name"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    name: str
    def __init__(self, name: _Optional[str] = ..., credit_code: _Optional[str] = ...) -> None: ...

class CivilServant(_message.Message):
    __slots__ = ["name", "position", "resident_id"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    position: str
    resident_id: str
    def __init__(self, resident_id: _Optional[str] = ..., name: _Optional[str] = ..., position: _Optional[str] = ...) -> None: ...

class DisclosurePeriod(_message.Message):
    __slots__ = ["maximum_end_date", "minimum_end_date", "policy_version", "published_by_default"]
    MAXIMUM_END_DATE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_END_DATE_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    maximum_end_date: str
    minimum_end_date: str
    policy_version: str
    published_by_default: bool
    def __init__(self, policy_version: _Optional[str] = ..., published_by_default: bool = ..., minimum_end_date: _Optional[str] = ..., maximum_end_date: _Optional[str] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ["description", "field", "reason"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    description: str
    field: str
    reason: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetRecordRequest(_message.Message):
    __slots__ = ["record_id"]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    def __init__(self, record_id: _Optional[str] = ...) -> None: ...

class GetRecordResponse(_message.Message):
    __slots__ = ["record"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: Record
    def __init__(self, record: _Optional[_Union[Record, _Mapping]] = ...) -> None: ...

class GovernmentBody(_message.Message):
    __slots__ = ["credit_code", "name"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    name: str
    def __init__(self, credit_code: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ItemError(_message.Message):
    __slots__ = ["code", "field_violations", "message", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    FIELD_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    field_violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    message: str
    reason: str
    def __init__(self, code: _Optional[int] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., field_violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class JudgmentDebtor(_message.Message):
    __slots__ = ["basis_document_number", "basis_issuing_body", "conduct_details", "conducts", "enforcement_case_number", "enforcing_court", "filing_date", "listing_extension_years", "obligation", "performance", "performance_details", "person_in_charge"]
    BASIS_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BASIS_ISSUING_BODY_FIELD_NUMBER: _ClassVar[int]
    CONDUCTS_FIELD_NUMBER: _ClassVar[int]
    CONDUCT_DETAILS_FIELD_NUMBER: _ClassVar[int]
    ENFORCEMENT_CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ENFORCING_COURT_FIELD_NUMBER: _ClassVar[int]
    FILING_DATE_FIELD_NUMBER: _ClassVar[int]
    LISTING_EXTENSION_YEARS_FIELD_NUMBER: _ClassVar[int]
    OBLIGATION_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_DETAILS_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_FIELD_NUMBER: _ClassVar[int]
    PERSON_IN_CHARGE_FIELD_NUMBER: _ClassVar[int]
    basis_document_number: str
    basis_issuing_body: str
    conduct_details: str
    conducts: _containers.RepeatedScalarFieldContainer[DishonestConduct]
    enforcement_case_number: str
    enforcing_court: Authority
    filing_date: str
    listing_extension_years: int
    obligation: str
    performance: PerformanceStatus
    performance_details: str
    person_in_charge: PersonInCharge
    def __init__(self, enforcement_case_number: _Optional[str] = ..., enforcing_court: _Optional[_Union[Authority, _Mapping]] = ..., basis_document_number: _Optional[str] = ..., basis_issuing_body: _Optional[str] = ..., filing_date: _Optional[str] = ..., obligation: _Optional[str] = ..., performance: _Optional[_Union[PerformanceStatus, str]] = ..., performance_details: _Optional[str] = ..., conducts: _Optional[_Iterable[_Union[DishonestConduct, str]]] = ..., conduct_details: _Optional[str] = ..., listing_extension_years: _Optional[int] = ..., person_in_charge: _Optional[_Union[PersonInCharge, _Mapping]] = ...) -> None: ...

class JudgmentDebtorListing(_message.Message):
    __slots__ = ["listing_end_date", "listing_indefinite", "removal_date", "removal_ground"]
    LISTING_END_DATE_FIELD_NUMBER: _ClassVar[int]
    LISTING_INDEFINITE_FIELD_NUMBER: _ClassVar[int]
    REMOVAL_DATE_FIELD_NUMBER: _ClassVar[int]
    REMOVAL_GROUND_FIELD_NUMBER: _ClassVar[int]
    listing_end_date: str
    listing_indefinite: bool
    removal_date: str
    removal_ground: ListingRemovalGround
    def __init__(self, listing_end_date: _Optional[str] = ..., listing_indefinite: bool = ..., removal_date: _Optional[str] = ..., removal_ground: _Optional[_Union[ListingRemovalGround, str]] = ...) -> None: ...

class ListProjectRecordsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "project_code"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PROJECT_CODE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    project_code: str
    def __init__(self, project_code: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListProjectRecordsResponse(_message.Message):
    __slots__ = ["next_page_token", "records"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    records: _containers.RepeatedCompositeFieldContainer[Record]
    def __init__(self, records: _Optional[_Iterable[_Union[Record, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListSubjectRecordsRequest(_message.Message):
    __slots__ = ["categories", "decision_date_from", "decision_date_to", "page_size", "page_token", "statuses", "subject"]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_TO_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[Category]
    decision_date_from: str
    decision_date_to: str
    page_size: int
    page_token: str
    statuses: _containers.RepeatedScalarFieldContainer[RecordStatus]
    subject: SubjectKey
    def __init__(self, subject: _Optional[_Union[SubjectKey, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[Category, str]]] = ..., statuses: _Optional[_Iterable[_Union[RecordStatus, str]]] = ..., decision_date_from: _Optional[str] = ..., decision_date_to: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSubjectRecordsResponse(_message.Message):
    __slots__ = ["next_page_token", "records"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    records: _containers.RepeatedCompositeFieldContainer[Record]
    def __init__(self, records: _Optional[_Iterable[_Union[Record, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Penalty(_message.Message):
    __slots__ = ["arrears_fen", "confiscated_fen", "fine_fen", "kinds", "text"]
    ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    CONFISCATED_FEN_FIELD_NUMBER: _ClassVar[int]
    FINE_FEN_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    arrears_fen: int
    confiscated_fen: int
    fine_fen: int
    kinds: _containers.RepeatedScalarFieldContainer[PenaltyKind]
    text: str
    def __init__(self, kinds: _Optional[_Iterable[_Union[PenaltyKind, str]]] = ..., text: _Optional[str] = ..., fine_fen: _Optional[int] = ..., confiscated_fen: _Optional[int] = ..., arrears_fen: _Optional[int] = ...) -> None: ...

class PersonInCharge(_message.Message):
    __slots__ = ["name", "position", "resident_id"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    position: str
    resident_id: str
    def __init__(self, name: _Optional[str] = ..., position: _Optional[str] = ..., resident_id: _Optional[str] = ...) -> None: ...

class ProjectReference(_message.Message):
    __slots__ = ["code", "implementing_agency", "name", "stage"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    IMPLEMENTING_AGENCY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    implementing_agency: Authority
    name: str
    stage: ProjectStage
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., implementing_agency: _Optional[_Union[Authority, _Mapping]] = ..., stage: _Optional[_Union[ProjectStage, str]] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ["accepted_at", "agency_id", "content", "content_sha256", "disclosure_period", "listing", "record_id", "source_record_id", "standing", "status", "version"]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_PERIOD_FIELD_NUMBER: _ClassVar[int]
    LISTING_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    STANDING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    accepted_at: _timestamp_pb2.Timestamp
    agency_id: str
    content: RecordContent
    content_sha256: str
    disclosure_period: DisclosurePeriod
    listing: JudgmentDebtorListing
    record_id: str
    source_record_id: str
    standing: RecordStanding
    status: RecordStatus
    version: int
    def __init__(self, record_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., source_record_id: _Optional[str] = ..., content: _Optional[_Union[RecordContent, _Mapping]] = ..., status: _Optional[_Union[RecordStatus, str]] = ..., version: _Optional[int] = ..., accepted_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., content_sha256: _Optional[str] = ..., disclosure_period: _Optional[_Union[DisclosurePeriod, _Mapping]] = ..., standing: _Optional[_Union[RecordStanding, _Mapping]] = ..., listing: _Optional[_Union[JudgmentDebtorListing, _Mapping]] = ...) -> None: ...

class RecordContent(_message.Message):
    __slots__ = ["accountability_measures", "arrears", "category", "conduct_type", "deciding_authority", "decision_date", "decision_document_number", "disclosure", "domain", "facts", "judgment_debtor", "legal_basis", "penalty", "project", "remarks", "responsible_person", "responsible_persons", "sanction_kind", "severity", "subject", "validity_end_date"]
    ACCOUNTABILITY_MEASURES_FIELD_NUMBER: _ClassVar[int]
    ARREARS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CONDUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DECIDING_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    JUDGMENT_DEBTOR_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    PENALTY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_PERSONS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_PERSON_FIELD_NUMBER: _ClassVar[int]
    SANCTION_KIND_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_END_DATE_FIELD_NUMBER: _ClassVar[int]
    accountability_measures: _containers.RepeatedScalarFieldContainer[AccountabilityMeasure]
    arrears: Arrears
    category: Category
    conduct_type: str
    deciding_authority: Authority
    decision_date: str
    decision_document_number: str
    disclosure: Disclosure
    domain: RecordDomain
    facts: str
    judgment_debtor: JudgmentDebtor
    legal_basis: str
    penalty: Penalty
    project: ProjectReference
    remarks: str
    responsible_person: ResponsiblePerson
    responsible_persons: _containers.RepeatedCompositeFieldContainer[ResponsiblePerson]
    sanction_kind: SanctionKind
    severity: Severity
    subject: Subject
    validity_end_date: str
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., category: _Optional[_Union[Category, str]] = ..., severity: _Optional[_Union[Severity, str]] = ..., domain: _Optional[_Union[RecordDomain, str]] = ..., decision_document_number: _Optional[str] = ..., deciding_authority: _Optional[_Union[Authority, _Mapping]] = ..., decision_date: _Optional[str] = ..., validity_end_date: _Optional[str] = ..., facts: _Optional[str] = ..., legal_basis: _Optional[str] = ..., penalty: _Optional[_Union[Penalty, _Mapping]] = ..., project: _Optional[_Union[ProjectReference, _Mapping]] = ..., responsible_person: _Optional[_Union[ResponsiblePerson, _Mapping]] = ..., disclosure: _Optional[_Union[Disclosure, str]] = ..., remarks: _Optional[str] = ..., sanction_kind: _Optional[_Union[SanctionKind, str]] = ..., accountability_measures: _Optional[_Iterable[_Union[AccountabilityMeasure, str]]] = ..., judgment_debtor: _Optional[_Union[JudgmentDebtor, _Mapping]] = ..., responsible_persons: _Optional[_Iterable[_Union[ResponsiblePerson, _Mapping]]] = ..., conduct_type: _Optional[str] = ..., arrears: _Optional[_Union[Arrears, _Mapping]] = ...) -> None: ...

class RecordStanding(_message.Message):
    __slots__ = ["as_of_date", "disclosure_ended", "effect_end_date", "effect_indefinite", "in_force", "publishable"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_ENDED_FIELD_NUMBER: _ClassVar[int]
    EFFECT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    EFFECT_INDEFINITE_FIELD_NUMBER: _ClassVar[int]
    IN_FORCE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHABLE_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    disclosure_ended: bool
    effect_end_date: str
    effect_indefinite: bool
    in_force: bool
    publishable: bool
    def __init__(self, as_of_date: _Optional[str] = ..., in_force: bool = ..., effect_end_date: _Optional[str] = ..., effect_indefinite: bool = ..., publishable: bool = ..., disclosure_ended: bool = ...) -> None: ...

class ResponsiblePerson(_message.Message):
    __slots__ = ["name", "position", "resident_id", "role"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    position: str
    resident_id: str
    role: ResponsibleRole
    def __init__(self, name: _Optional[str] = ..., position: _Optional[str] = ..., resident_id: _Optional[str] = ..., role: _Optional[_Union[ResponsibleRole, str]] = ...) -> None: ...

class Subject(_message.Message):
    __slots__ = ["civil_servant", "division_code", "government_body"]
    CIVIL_SERVANT_FIELD_NUMBER: _ClassVar[int]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    GOVERNMENT_BODY_FIELD_NUMBER: _ClassVar[int]
    civil_servant: CivilServant
    division_code: str
    government_body: GovernmentBody
    def __init__(self, government_body: _Optional[_Union[GovernmentBody, _Mapping]] = ..., civil_servant: _Optional[_Union[CivilServant, _Mapping]] = ..., division_code: _Optional[str] = ...) -> None: ...

class SubjectKey(_message.Message):
    __slots__ = ["credit_code", "resident_id"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    resident_id: str
    def __init__(self, credit_code: _Optional[str] = ..., resident_id: _Optional[str] = ...) -> None: ...

class SubmitRecordRequest(_message.Message):
    __slots__ = ["record", "signature", "source_record_id"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record: RecordContent
    signature: _signing_pb2.RequestSignature
    source_record_id: str
    def __init__(self, source_record_id: _Optional[str] = ..., record: _Optional[_Union[RecordContent, _Mapping]] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class SubmitRecordResponse(_message.Message):
    __slots__ = ["duplicate", "receipt", "record"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    receipt: _receipts_pb2.Receipt
    record: Record
    def __init__(self, record: _Optional[_Union[Record, _Mapping]] = ..., duplicate: bool = ..., receipt: _Optional[_Union[_receipts_pb2.Receipt, _Mapping]] = ...) -> None: ...

class SubmitRecordsRequest(_message.Message):
    __slots__ = ["item", "signature"]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    item: SubmitRecordRequest
    signature: _signing_pb2.RequestSignature
    def __init__(self, item: _Optional[_Union[SubmitRecordRequest, _Mapping]] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class SubmitRecordsResponse(_message.Message):
    __slots__ = ["accepted_count", "rejected_count", "results"]
    ACCEPTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    accepted_count: int
    rejected_count: int
    results: _containers.RepeatedCompositeFieldContainer[SubmitRecordsResult]
    def __init__(self, results: _Optional[_Iterable[_Union[SubmitRecordsResult, _Mapping]]] = ..., accepted_count: _Optional[int] = ..., rejected_count: _Optional[int] = ...) -> None: ...

class SubmitRecordsResult(_message.Message):
    __slots__ = ["duplicate", "error", "index", "receipt", "record", "source_record_id", "status"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    error: ItemError
    index: int
    receipt: _receipts_pb2.Receipt
    record: Record
    source_record_id: str
    status: _status_pb2.Status
    def __init__(self, index: _Optional[int] = ..., source_record_id: _Optional[str] = ..., record: _Optional[_Union[Record, _Mapping]] = ..., error: _Optional[_Union[ItemError, _Mapping]] = ..., duplicate: bool = ..., receipt: _Optional[_Union[_receipts_pb2.Receipt, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class Category(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Severity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RecordDomain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Disclosure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PenaltyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RecordStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SanctionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AccountabilityMeasure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProjectStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ResponsibleRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DishonestConduct(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PerformanceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ListingRemovalGround(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
