from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.api.v1 import signing_pb2 as _signing_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

COMPLAINT_GROUND_LATE: ComplaintGround
COMPLAINT_GROUND_OTHER: ComplaintGround
COMPLAINT_GROUND_REFUSED_WITHOUT_GROUNDS: ComplaintGround
COMPLAINT_GROUND_UNANSWERED: ComplaintGround
COMPLAINT_GROUND_UNSPECIFIED: ComplaintGround
COMPLAINT_STATE_OPEN: ComplaintState
COMPLAINT_STATE_REJECTED: ComplaintState
COMPLAINT_STATE_UNSPECIFIED: ComplaintState
COMPLAINT_STATE_UPHELD: ComplaintState
DESCRIPTOR: _descriptor.FileDescriptor
OBJECTION_STATE_CLOSED: ObjectionState
OBJECTION_STATE_CORRECTED: ObjectionState
OBJECTION_STATE_DISMISSED: ObjectionState
OBJECTION_STATE_OPEN: ObjectionState
OBJECTION_STATE_REVOKED: ObjectionState
OBJECTION_STATE_UNSPECIFIED: ObjectionState
RECORD_CHANGE_CORRECTED: RecordChange
RECORD_CHANGE_EFFECT_ENDED: RecordChange
RECORD_CHANGE_EXPIRED: RecordChange
RECORD_CHANGE_HANDLING_REOPENED: RecordChange
RECORD_CHANGE_JUDGMENT_DEBTOR_REMOVED: RecordChange
RECORD_CHANGE_OBJECTION_ANSWERED: RecordChange
RECORD_CHANGE_OBJECTION_EXTENDED: RecordChange
RECORD_CHANGE_OBJECTION_FILED: RecordChange
RECORD_CHANGE_REPAIR_APPLIED: RecordChange
RECORD_CHANGE_REPAIR_DECIDED: RecordChange
RECORD_CHANGE_REVOKED: RecordChange
RECORD_CHANGE_SANCTION_REVIEWED: RecordChange
RECORD_CHANGE_SUBMITTED: RecordChange
RECORD_CHANGE_UNSPECIFIED: RecordChange
REPAIR_STATE_APPROVED: RepairState
REPAIR_STATE_CLOSED: RepairState
REPAIR_STATE_PENDING: RepairState
REPAIR_STATE_REFUSED: RepairState
REPAIR_STATE_UNSPECIFIED: RepairState
SANCTION_REVIEW_OUTCOME_CHANGED: SanctionReviewOutcome
SANCTION_REVIEW_OUTCOME_REVOKED: SanctionReviewOutcome
SANCTION_REVIEW_OUTCOME_UNSPECIFIED: SanctionReviewOutcome
SANCTION_REVIEW_OUTCOME_UPHELD: SanctionReviewOutcome

class AnswerObjectionRequest(_message.Message):
    __slots__ = ["answer", "corrected_content", "expected_version", "objection_id", "outcome", "signature"]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_CONTENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    answer: str
    corrected_content: _records_pb2.RecordContent
    expected_version: int
    objection_id: str
    outcome: ObjectionState
    signature: _signing_pb2.RequestSignature
    def __init__(self, objection_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., outcome: _Optional[_Union[ObjectionState, str]] = ..., answer: _Optional[str] = ..., corrected_content: _Optional[_Union[_records_pb2.RecordContent, _Mapping]] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class AnswerObjectionResponse(_message.Message):
    __slots__ = ["objection", "record"]
    OBJECTION_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    objection: Objection
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., objection: _Optional[_Union[Objection, _Mapping]] = ...) -> None: ...

class ApplyForRepairRequest(_message.Message):
    __slots__ = ["credit_commitment", "expected_version", "obligations_evidence", "obligations_fulfilled", "record_id", "signature"]
    CREDIT_COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_FULFILLED_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    credit_commitment: str
    expected_version: int
    obligations_evidence: str
    obligations_fulfilled: bool
    record_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., obligations_fulfilled: bool = ..., obligations_evidence: _Optional[str] = ..., credit_commitment: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class ApplyForRepairResponse(_message.Message):
    __slots__ = ["record", "repair"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    repair: RepairApplication
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., repair: _Optional[_Union[RepairApplication, _Mapping]] = ...) -> None: ...

class Complaint(_message.Message):
    __slots__ = ["complaint_id", "decision", "filed_at", "filed_by", "ground", "grounds", "objection_id", "overdue", "record_id", "reopened_due_date", "repair_id", "review_due_date", "reviewed_at", "reviewed_by", "source_agency_id", "state", "time_limit"]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REOPENED_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    decision: str
    filed_at: _timestamp_pb2.Timestamp
    filed_by: str
    ground: ComplaintGround
    grounds: str
    objection_id: str
    overdue: bool
    record_id: str
    reopened_due_date: str
    repair_id: str
    review_due_date: str
    reviewed_at: _timestamp_pb2.Timestamp
    reviewed_by: str
    source_agency_id: str
    state: ComplaintState
    time_limit: TimeLimit
    def __init__(self, complaint_id: _Optional[str] = ..., record_id: _Optional[str] = ..., source_agency_id: _Optional[str] = ..., filed_by: _Optional[str] = ..., filed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., objection_id: _Optional[str] = ..., repair_id: _Optional[str] = ..., ground: _Optional[_Union[ComplaintGround, str]] = ..., grounds: _Optional[str] = ..., review_due_date: _Optional[str] = ..., state: _Optional[_Union[ComplaintState, str]] = ..., overdue: bool = ..., reviewed_by: _Optional[str] = ..., reviewed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., decision: _Optional[str] = ..., time_limit: _Optional[_Union[TimeLimit, _Mapping]] = ..., reopened_due_date: _Optional[str] = ...) -> None: ...

class CorrectRecordRequest(_message.Message):
    __slots__ = ["content", "expected_version", "reason", "record_id", "signature"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    content: _records_pb2.RecordContent
    expected_version: int
    reason: str
    record_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., content: _Optional[_Union[_records_pb2.RecordContent, _Mapping]] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class CorrectRecordResponse(_message.Message):
    __slots__ = ["record"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ...) -> None: ...

class DecideRepairRequest(_message.Message):
    __slots__ = ["decision", "expected_version", "reason", "repair_id", "signature"]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    decision: RepairState
    expected_version: int
    reason: str
    repair_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, repair_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., decision: _Optional[_Union[RepairState, str]] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class DecideRepairResponse(_message.Message):
    __slots__ = ["record", "repair"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    repair: RepairApplication
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., repair: _Optional[_Union[RepairApplication, _Mapping]] = ...) -> None: ...

class ExtendObjectionAnswerRequest(_message.Message):
    __slots__ = ["expected_version", "new_answer_due_date", "objection_id", "reason", "signature"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    NEW_ANSWER_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    new_answer_due_date: str
    objection_id: str
    reason: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, objection_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., new_answer_due_date: _Optional[str] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class ExtendObjectionAnswerResponse(_message.Message):
    __slots__ = ["objection", "record"]
    OBJECTION_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    objection: Objection
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., objection: _Optional[_Union[Objection, _Mapping]] = ...) -> None: ...

class FileComplaintRequest(_message.Message):
    __slots__ = ["ground", "grounds", "objection_id", "repair_id", "signature"]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    ground: ComplaintGround
    grounds: str
    objection_id: str
    repair_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, objection_id: _Optional[str] = ..., repair_id: _Optional[str] = ..., ground: _Optional[_Union[ComplaintGround, str]] = ..., grounds: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class FileComplaintResponse(_message.Message):
    __slots__ = ["complaint"]
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class FileObjectionRequest(_message.Message):
    __slots__ = ["expected_version", "grounds", "record_id", "signature"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    grounds: str
    record_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., grounds: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class FileObjectionResponse(_message.Message):
    __slots__ = ["objection", "record"]
    OBJECTION_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    objection: Objection
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., objection: _Optional[_Union[Objection, _Mapping]] = ...) -> None: ...

class GetRecordHistoryRequest(_message.Message):
    __slots__ = ["record_id"]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    def __init__(self, record_id: _Optional[str] = ...) -> None: ...

class GetRecordHistoryResponse(_message.Message):
    __slots__ = ["complaints", "objections", "record", "repairs", "versions"]
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIONS_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    REPAIRS_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    complaints: _containers.RepeatedCompositeFieldContainer[Complaint]
    objections: _containers.RepeatedCompositeFieldContainer[Objection]
    record: _records_pb2.Record
    repairs: _containers.RepeatedCompositeFieldContainer[RepairApplication]
    versions: _containers.RepeatedCompositeFieldContainer[RecordVersion]
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[RecordVersion, _Mapping]]] = ..., objections: _Optional[_Iterable[_Union[Objection, _Mapping]]] = ..., repairs: _Optional[_Iterable[_Union[RepairApplication, _Mapping]]] = ..., complaints: _Optional[_Iterable[_Union[Complaint, _Mapping]]] = ...) -> None: ...

class ListOverdueObjectionsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOverdueObjectionsResponse(_message.Message):
    __slots__ = ["complaints", "next_page_token", "objections", "repairs"]
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OBJECTIONS_FIELD_NUMBER: _ClassVar[int]
    REPAIRS_FIELD_NUMBER: _ClassVar[int]
    complaints: _containers.RepeatedCompositeFieldContainer[Complaint]
    next_page_token: str
    objections: _containers.RepeatedCompositeFieldContainer[Objection]
    repairs: _containers.RepeatedCompositeFieldContainer[RepairApplication]
    def __init__(self, objections: _Optional[_Iterable[_Union[Objection, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., complaints: _Optional[_Iterable[_Union[Complaint, _Mapping]]] = ..., repairs: _Optional[_Iterable[_Union[RepairApplication, _Mapping]]] = ...) -> None: ...

class Objection(_message.Message):
    __slots__ = ["answer", "answer_due_date", "answered_at", "answered_by", "extended_from_due_date", "extension_reason", "filed_at", "filed_by", "grounds", "objection_id", "overdue", "record_id", "reopened_by_complaint_id", "source_agency_id", "state", "time_limit"]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    ANSWER_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    EXTENDED_FROM_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_REASON_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REOPENED_BY_COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    answer: str
    answer_due_date: str
    answered_at: _timestamp_pb2.Timestamp
    answered_by: str
    extended_from_due_date: str
    extension_reason: str
    filed_at: _timestamp_pb2.Timestamp
    filed_by: str
    grounds: str
    objection_id: str
    overdue: bool
    record_id: str
    reopened_by_complaint_id: str
    source_agency_id: str
    state: ObjectionState
    time_limit: TimeLimit
    def __init__(self, objection_id: _Optional[str] = ..., record_id: _Optional[str] = ..., source_agency_id: _Optional[str] = ..., filed_by: _Optional[str] = ..., filed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., grounds: _Optional[str] = ..., answer_due_date: _Optional[str] = ..., state: _Optional[_Union[ObjectionState, str]] = ..., overdue: bool = ..., answered_by: _Optional[str] = ..., answered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., answer: _Optional[str] = ..., extended_from_due_date: _Optional[str] = ..., extension_reason: _Optional[str] = ..., reopened_by_complaint_id: _Optional[str] = ..., time_limit: _Optional[_Union[TimeLimit, _Mapping]] = ...) -> None: ...

class RecordVersion(_message.Message):
    __slots__ = ["agency_id", "change", "changed_at", "content", "content_sha256", "reason", "status", "version"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    change: RecordChange
    changed_at: _timestamp_pb2.Timestamp
    content: _records_pb2.RecordContent
    content_sha256: str
    reason: str
    status: _records_pb2.RecordStatus
    version: int
    def __init__(self, version: _Optional[int] = ..., change: _Optional[_Union[RecordChange, str]] = ..., status: _Optional[_Union[_records_pb2.RecordStatus, str]] = ..., agency_id: _Optional[str] = ..., changed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., content: _Optional[_Union[_records_pb2.RecordContent, _Mapping]] = ..., content_sha256: _Optional[str] = ...) -> None: ...

class RemoveJudgmentDebtorListingRequest(_message.Message):
    __slots__ = ["expected_version", "ground", "reason", "record_id", "signature"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    ground: _records_pb2.ListingRemovalGround
    reason: str
    record_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., ground: _Optional[_Union[_records_pb2.ListingRemovalGround, str]] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class RemoveJudgmentDebtorListingResponse(_message.Message):
    __slots__ = ["record"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ...) -> None: ...

class RepairApplication(_message.Message):
    __slots__ = ["applied_at", "applied_by", "credit_commitment", "decided_at", "decided_by", "decision_due_date", "decision_reason", "obligations_evidence", "obligations_fulfilled", "overdue", "record_id", "reopened_by_complaint_id", "repair_id", "source_agency_id", "state", "time_limit"]
    APPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_BY_FIELD_NUMBER: _ClassVar[int]
    CREDIT_COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    OBLIGATIONS_FULFILLED_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REOPENED_BY_COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    REPAIR_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    applied_at: _timestamp_pb2.Timestamp
    applied_by: str
    credit_commitment: str
    decided_at: _timestamp_pb2.Timestamp
    decided_by: str
    decision_due_date: str
    decision_reason: str
    obligations_evidence: str
    obligations_fulfilled: bool
    overdue: bool
    record_id: str
    reopened_by_complaint_id: str
    repair_id: str
    source_agency_id: str
    state: RepairState
    time_limit: TimeLimit
    def __init__(self, repair_id: _Optional[str] = ..., record_id: _Optional[str] = ..., source_agency_id: _Optional[str] = ..., applied_by: _Optional[str] = ..., applied_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., obligations_fulfilled: bool = ..., obligations_evidence: _Optional[str] = ..., credit_commitment: _Optional[str] = ..., state: _Optional[_Union[RepairState, str]] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., decision_reason: _Optional[str] = ..., decision_due_date: _Optional[str] = ..., overdue: bool = ..., reopened_by_complaint_id: _Optional[str] = ..., time_limit: _Optional[_Union[TimeLimit, _Mapping]] = ...) -> None: ...

class ReviewComplaintRequest(_message.Message):
    __slots__ = ["complaint_id", "decision", "decision_text", "signature"]
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECISION_TEXT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    decision: ComplaintState
    decision_text: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, complaint_id: _Optional[str] = ..., decision: _Optional[_Union[ComplaintState, str]] = ..., decision_text: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class ReviewComplaintResponse(_message.Message):
    __slots__ = ["complaint"]
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    complaint: Complaint
    def __init__(self, complaint: _Optional[_Union[Complaint, _Mapping]] = ...) -> None: ...

class ReviewSanctionRequest(_message.Message):
    __slots__ = ["decision_date", "decision_document_number", "expected_version", "outcome", "reason", "record_id", "sanction_kind", "signature"]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SANCTION_KIND_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    decision_date: str
    decision_document_number: str
    expected_version: int
    outcome: SanctionReviewOutcome
    reason: str
    record_id: str
    sanction_kind: _records_pb2.SanctionKind
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., outcome: _Optional[_Union[SanctionReviewOutcome, str]] = ..., sanction_kind: _Optional[_Union[_records_pb2.SanctionKind, str]] = ..., decision_document_number: _Optional[str] = ..., decision_date: _Optional[str] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class ReviewSanctionResponse(_message.Message):
    __slots__ = ["record"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ...) -> None: ...

class RevokeRecordRequest(_message.Message):
    __slots__ = ["expected_version", "reason", "record_id", "signature"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    reason: str
    record_id: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, record_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class RevokeRecordResponse(_message.Message):
    __slots__ = ["record"]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: _records_pb2.Record
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ...) -> None: ...

class TimeLimit(_message.Message):
    __slots__ = ["due_date", "extension_working_days", "rule", "source", "working_days"]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    due_date: str
    extension_working_days: int
    rule: str
    source: str
    working_days: int
    def __init__(self, rule: _Optional[str] = ..., working_days: _Optional[int] = ..., source: _Optional[str] = ..., due_date: _Optional[str] = ..., extension_working_days: _Optional[int] = ...) -> None: ...

class RecordChange(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SanctionReviewOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ObjectionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RepairState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ComplaintGround(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ComplaintState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
