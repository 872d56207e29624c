from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.receipts.v1 import receipts_pb2 as _receipts_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
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

class ProjectReference(_message.Message):
    __slots__ = ["code", "name"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ["accepted_at", "agency_id", "content", "content_sha256", "disclosure_period", "record_id", "source_record_id", "standing", "status", "version"]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_PERIOD_FIELD_NUMBER: _ClassVar[int]
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
    record_id: str
    source_record_id: str
    standing: RecordStanding
    status: RecordStatus
    version: int
    def __init__(self, record_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., source_record_id: _Optional[str] = ..., content: _Optional[_Union[RecordContent, _Mapping]] = ..., status: _Optional[_Union[RecordStatus, str]] = ..., version: _Optional[int] = ..., accepted_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., content_sha256: _Optional[str] = ..., disclosure_period: _Optional[_Union[DisclosurePeriod, _Mapping]] = ..., standing: _Optional[_Union[RecordStanding, _Mapping]] = ...) -> None: ...

class RecordContent(_message.Message):
    __slots__ = ["accountability_measures", "category", "deciding_authority", "decision_date", "decision_document_number", "disclosure", "domain", "facts", "legal_basis", "penalty", "project", "remarks", "responsible_person", "sanction_kind", "severity", "subject", "validity_end_date"]
    ACCOUNTABILITY_MEASURES_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECIDING_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    PENALTY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    REMARKS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_PERSON_FIELD_NUMBER: _ClassVar[int]
    SANCTION_KIND_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    VALIDITY_END_DATE_FIELD_NUMBER: _ClassVar[int]
    accountability_measures: _containers.RepeatedScalarFieldContainer[AccountabilityMeasure]
    category: Category
    deciding_authority: Authority
    decision_date: str
    decision_document_number: str
    disclosure: Disclosure
    domain: RecordDomain
    facts: str
    legal_basis: str
    penalty: Penalty
    project: ProjectReference
    remarks: str
    responsible_person: ResponsiblePerson
    sanction_kind: SanctionKind
    severity: Severity
    subject: Subject
    validity_end_date: str
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., category: _Optional[_Union[Category, str]] = ..., severity: _Optional[_Union[Severity, str]] = ..., domain: _Optional[_Union[RecordDomain, str]] = ..., decision_document_number: _Optional[str] = ..., deciding_authority: _Optional[_Union[Authority, _Mapping]] = ..., decision_date: _Optional[str] = ..., validity_end_date: _Optional[str] = ..., facts: _Optional[str] = ..., legal_basis: _Optional[str] = ..., penalty: _Optional[_Union[Penalty, _Mapping]] = ..., project: _Optional[_Union[ProjectReference, _Mapping]] = ..., responsible_person: _Optional[_Union[ResponsiblePerson, _Mapping]] = ..., disclosure: _Optional[_Union[Disclosure, str]] = ..., remarks: _Optional[str] = ..., sanction_kind: _Optional[_Union[SanctionKind, str]] = ..., accountability_measures: _Optional[_Iterable[_Union[AccountabilityMeasure, str]]] = ...) -> None: ...

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
    __slots__ = ["name", "position", "resident_id"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    position: str
    resident_id: str
    def __init__(self, name: _Optional[str] = ..., position: _Optional[str] = ..., resident_id: _Optional[str] = ...) -> None: ...

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
    __slots__ = ["record", "source_record_id"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record: RecordContent
    source_record_id: str
    def __init__(self, source_record_id: _Optional[str] = ..., record: _Optional[_Union[RecordContent, _Mapping]] = ...) -> None: ...

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
    __slots__ = ["item"]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: SubmitRecordRequest
    def __init__(self, item: _Optional[_Union[SubmitRecordRequest, _Mapping]] = ...) -> None: ...

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
    __slots__ = ["duplicate", "error", "index", "receipt", "record", "source_record_id"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    error: ItemError
    index: int
    receipt: _receipts_pb2.Receipt
    record: Record
    source_record_id: str
    def __init__(self, index: _Optional[int] = ..., source_record_id: _Optional[str] = ..., record: _Optional[_Union[Record, _Mapping]] = ..., error: _Optional[_Union[ItemError, _Mapping]] = ..., duplicate: bool = ..., receipt: _Optional[_Union[_receipts_pb2.Receipt, _Mapping]] = ...) -> None: ...

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
