from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PUBLICATION_CHANGE_KIND_PUBLISHED: PublicationChangeKind
PUBLICATION_CHANGE_KIND_UNSPECIFIED: PublicationChangeKind
PUBLICATION_CHANGE_KIND_WITHDRAWN: PublicationChangeKind

class GetPublicationRequest(_message.Message):
    __slots__ = ["record_id"]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    def __init__(self, record_id: _Optional[str] = ...) -> None: ...

class GetPublicationResponse(_message.Message):
    __slots__ = ["publication"]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    publication: PublicRecord
    def __init__(self, publication: _Optional[_Union[PublicRecord, _Mapping]] = ...) -> None: ...

class ListPublicationChangesRequest(_message.Message):
    __slots__ = ["after_sequence", "page_size"]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    page_size: int
    def __init__(self, after_sequence: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListPublicationChangesResponse(_message.Message):
    __slots__ = ["caught_up", "changes", "next_after_sequence"]
    CAUGHT_UP_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    caught_up: bool
    changes: _containers.RepeatedCompositeFieldContainer[PublicationChange]
    next_after_sequence: int
    def __init__(self, changes: _Optional[_Iterable[_Union[PublicationChange, _Mapping]]] = ..., next_after_sequence: _Optional[int] = ..., caught_up: bool = ...) -> None: ...

class ListPublicationsRequest(_message.Message):
    __slots__ = ["as_of_date", "page_size", "page_token"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., as_of_date: _Optional[str] = ...) -> None: ...

class ListPublicationsResponse(_message.Message):
    __slots__ = ["as_of_date", "as_of_sequence", "next_page_token", "publications"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PUBLICATIONS_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    as_of_sequence: int
    next_page_token: str
    publications: _containers.RepeatedCompositeFieldContainer[PublicRecord]
    def __init__(self, publications: _Optional[_Iterable[_Union[PublicRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., as_of_date: _Optional[str] = ..., as_of_sequence: _Optional[int] = ...) -> None: ...

class MaskedCivilServant(_message.Message):
    __slots__ = ["masked_name", "masked_resident_id", "position"]
    MASKED_NAME_FIELD_NUMBER: _ClassVar[int]
    MASKED_RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    masked_name: str
    masked_resident_id: str
    position: str
    def __init__(self, masked_name: _Optional[str] = ..., masked_resident_id: _Optional[str] = ..., position: _Optional[str] = ...) -> None: ...

class PublicJudgmentDebtor(_message.Message):
    __slots__ = ["basis_document_number", "basis_issuing_body", "conducts", "enforcement_case_number", "enforcing_court", "filing_date", "obligation", "performance", "person_in_charge_masked_name"]
    BASIS_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BASIS_ISSUING_BODY_FIELD_NUMBER: _ClassVar[int]
    CONDUCTS_FIELD_NUMBER: _ClassVar[int]
    ENFORCEMENT_CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ENFORCING_COURT_FIELD_NUMBER: _ClassVar[int]
    FILING_DATE_FIELD_NUMBER: _ClassVar[int]
    OBLIGATION_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_FIELD_NUMBER: _ClassVar[int]
    PERSON_IN_CHARGE_MASKED_NAME_FIELD_NUMBER: _ClassVar[int]
    basis_document_number: str
    basis_issuing_body: str
    conducts: _containers.RepeatedScalarFieldContainer[_records_pb2.DishonestConduct]
    enforcement_case_number: str
    enforcing_court: _records_pb2.Authority
    filing_date: str
    obligation: str
    performance: _records_pb2.PerformanceStatus
    person_in_charge_masked_name: str
    def __init__(self, enforcement_case_number: _Optional[str] = ..., enforcing_court: _Optional[_Union[_records_pb2.Authority, _Mapping]] = ..., basis_document_number: _Optional[str] = ..., basis_issuing_body: _Optional[str] = ..., filing_date: _Optional[str] = ..., obligation: _Optional[str] = ..., performance: _Optional[_Union[_records_pb2.PerformanceStatus, str]] = ..., conducts: _Optional[_Iterable[_Union[_records_pb2.DishonestConduct, str]]] = ..., person_in_charge_masked_name: _Optional[str] = ...) -> None: ...

class PublicRecord(_message.Message):
    __slots__ = ["category", "conduct_type", "confiscated_fen", "deciding_authority", "decision_date", "decision_document_number", "domain", "facts", "fine_fen", "judgment_debtor", "legal_basis", "penalty_kinds", "penalty_text", "project", "public_sha256", "published_until", "record_id", "record_version", "responsible_person_name", "responsible_persons", "sanction_kind", "severity", "source_agency_id", "subject"]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CONDUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFISCATED_FEN_FIELD_NUMBER: _ClassVar[int]
    DECIDING_AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    FINE_FEN_FIELD_NUMBER: _ClassVar[int]
    JUDGMENT_DEBTOR_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    PENALTY_KINDS_FIELD_NUMBER: _ClassVar[int]
    PENALTY_TEXT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_SHA256_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_VERSION_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_PERSONS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    SANCTION_KIND_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    category: _records_pb2.Category
    conduct_type: str
    confiscated_fen: int
    deciding_authority: _records_pb2.Authority
    decision_date: str
    decision_document_number: str
    domain: _records_pb2.RecordDomain
    facts: str
    fine_fen: int
    judgment_debtor: PublicJudgmentDebtor
    legal_basis: str
    penalty_kinds: _containers.RepeatedScalarFieldContainer[_records_pb2.PenaltyKind]
    penalty_text: str
    project: _records_pb2.ProjectReference
    public_sha256: str
    published_until: str
    record_id: str
    record_version: int
    responsible_person_name: str
    responsible_persons: _containers.RepeatedCompositeFieldContainer[PublicResponsiblePerson]
    sanction_kind: _records_pb2.SanctionKind
    severity: _records_pb2.Severity
    source_agency_id: str
    subject: PublicSubject
    def __init__(self, record_id: _Optional[str] = ..., source_agency_id: _Optional[str] = ..., subject: _Optional[_Union[PublicSubject, _Mapping]] = ..., category: _Optional[_Union[_records_pb2.Category, str]] = ..., severity: _Optional[_Union[_records_pb2.Severity, str]] = ..., domain: _Optional[_Union[_records_pb2.RecordDomain, str]] = ..., decision_document_number: _Optional[str] = ..., deciding_authority: _Optional[_Union[_records_pb2.Authority, _Mapping]] = ..., decision_date: _Optional[str] = ..., facts: _Optional[str] = ..., legal_basis: _Optional[str] = ..., penalty_kinds: _Optional[_Iterable[_Union[_records_pb2.PenaltyKind, str]]] = ..., penalty_text: _Optional[str] = ..., fine_fen: _Optional[int] = ..., confiscated_fen: _Optional[int] = ..., project: _Optional[_Union[_records_pb2.ProjectReference, _Mapping]] = ..., responsible_person_name: _Optional[str] = ..., sanction_kind: _Optional[_Union[_records_pb2.SanctionKind, str]] = ..., published_until: _Optional[str] = ..., record_version: _Optional[int] = ..., public_sha256: _Optional[str] = ..., responsible_persons: _Optional[_Iterable[_Union[PublicResponsiblePerson, _Mapping]]] = ..., judgment_debtor: _Optional[_Union[PublicJudgmentDebtor, _Mapping]] = ..., conduct_type: _Optional[str] = ...) -> None: ...

class PublicResponsiblePerson(_message.Message):
    __slots__ = ["masked_name", "position", "role"]
    MASKED_NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    masked_name: str
    position: str
    role: _records_pb2.ResponsibleRole
    def __init__(self, masked_name: _Optional[str] = ..., position: _Optional[str] = ..., role: _Optional[_Union[_records_pb2.ResponsibleRole, str]] = ...) -> None: ...

class PublicSubject(_message.Message):
    __slots__ = ["civil_servant", "division_code", "government_body"]
    CIVIL_SERVANT_FIELD_NUMBER: _ClassVar[int]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    GOVERNMENT_BODY_FIELD_NUMBER: _ClassVar[int]
    civil_servant: MaskedCivilServant
    division_code: str
    government_body: _records_pb2.GovernmentBody
    def __init__(self, government_body: _Optional[_Union[_records_pb2.GovernmentBody, _Mapping]] = ..., civil_servant: _Optional[_Union[MaskedCivilServant, _Mapping]] = ..., division_code: _Optional[str] = ...) -> None: ...

class PublicationChange(_message.Message):
    __slots__ = ["kind", "occurred_at", "publication", "record_id", "sequence"]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    kind: PublicationChangeKind
    occurred_at: _timestamp_pb2.Timestamp
    publication: PublicRecord
    record_id: str
    sequence: int
    def __init__(self, sequence: _Optional[int] = ..., record_id: _Optional[str] = ..., kind: _Optional[_Union[PublicationChangeKind, str]] = ..., publication: _Optional[_Union[PublicRecord, _Mapping]] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PublicationChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
