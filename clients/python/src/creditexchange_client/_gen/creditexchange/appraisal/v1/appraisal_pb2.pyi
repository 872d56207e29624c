from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

APPRAISAL_BASIS_BOTH: AppraisalBasis
APPRAISAL_BASIS_LOOK_BACK_WINDOW: AppraisalBasis
APPRAISAL_BASIS_PERIOD_OF_EFFECT: AppraisalBasis
APPRAISAL_BASIS_UNSPECIFIED: AppraisalBasis
APPRAISAL_TYPE_ANNUAL_EXCELLENCE: AppraisalType
APPRAISAL_TYPE_HONORS: AppraisalType
APPRAISAL_TYPE_INTEGRITY_RATING: AppraisalType
APPRAISAL_TYPE_PROMOTION: AppraisalType
APPRAISAL_TYPE_UNSPECIFIED: AppraisalType
DECISION_ELIGIBLE: Decision
DECISION_INELIGIBLE: Decision
DECISION_PRIORITY: Decision
DECISION_UNSPECIFIED: Decision
DESCRIPTOR: _descriptor.FileDescriptor

class AppliedRules(_message.Message):
    __slots__ = ["basis", "check_date", "effective_date", "look_back_start_date", "rule_set_version"]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    CHECK_DATE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    LOOK_BACK_START_DATE_FIELD_NUMBER: _ClassVar[int]
    RULE_SET_VERSION_FIELD_NUMBER: _ClassVar[int]
    basis: AppraisalBasis
    check_date: str
    effective_date: str
    look_back_start_date: str
    rule_set_version: str
    def __init__(self, rule_set_version: _Optional[str] = ..., effective_date: _Optional[str] = ..., check_date: _Optional[str] = ..., look_back_start_date: _Optional[str] = ..., basis: _Optional[_Union[AppraisalBasis, str]] = ...) -> None: ...

class CandidateResult(_message.Message):
    __slots__ = ["deciding_record_count", "deciding_records", "decision", "index", "objection_pending", "subject"]
    DECIDING_RECORDS_FIELD_NUMBER: _ClassVar[int]
    DECIDING_RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_PENDING_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    deciding_record_count: int
    deciding_records: _containers.RepeatedCompositeFieldContainer[DecidingRecord]
    decision: Decision
    index: int
    objection_pending: bool
    subject: _records_pb2.SubjectKey
    def __init__(self, index: _Optional[int] = ..., subject: _Optional[_Union[_records_pb2.SubjectKey, _Mapping]] = ..., decision: _Optional[_Union[Decision, str]] = ..., deciding_records: _Optional[_Iterable[_Union[DecidingRecord, _Mapping]]] = ..., objection_pending: bool = ..., deciding_record_count: _Optional[int] = ...) -> None: ...

class CheckCandidateRequest(_message.Message):
    __slots__ = ["purpose", "subject"]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    purpose: Purpose
    subject: _records_pb2.SubjectKey
    def __init__(self, purpose: _Optional[_Union[Purpose, _Mapping]] = ..., subject: _Optional[_Union[_records_pb2.SubjectKey, _Mapping]] = ...) -> None: ...

class CheckCandidateResponse(_message.Message):
    __slots__ = ["check_id", "checked_at", "result", "rules"]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    check_id: str
    checked_at: _timestamp_pb2.Timestamp
    result: CandidateResult
    rules: AppliedRules
    def __init__(self, result: _Optional[_Union[CandidateResult, _Mapping]] = ..., rules: _Optional[_Union[AppliedRules, _Mapping]] = ..., check_id: _Optional[str] = ..., checked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckCandidatesRequest(_message.Message):
    __slots__ = ["purpose", "subjects"]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_FIELD_NUMBER: _ClassVar[int]
    purpose: Purpose
    subjects: _containers.RepeatedCompositeFieldContainer[_records_pb2.SubjectKey]
    def __init__(self, purpose: _Optional[_Union[Purpose, _Mapping]] = ..., subjects: _Optional[_Iterable[_Union[_records_pb2.SubjectKey, _Mapping]]] = ...) -> None: ...

class CheckCandidatesResponse(_message.Message):
    __slots__ = ["check_id", "checked_at", "eligible_count", "ineligible_count", "priority_count", "results", "rules"]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    INELIGIBLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_COUNT_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    check_id: str
    checked_at: _timestamp_pb2.Timestamp
    eligible_count: int
    ineligible_count: int
    priority_count: int
    results: _containers.RepeatedCompositeFieldContainer[CandidateResult]
    rules: AppliedRules
    def __init__(self, results: _Optional[_Iterable[_Union[CandidateResult, _Mapping]]] = ..., rules: _Optional[_Union[AppliedRules, _Mapping]] = ..., check_id: _Optional[str] = ..., checked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., ineligible_count: _Optional[int] = ..., eligible_count: _Optional[int] = ..., priority_count: _Optional[int] = ...) -> None: ...

class DecidingRecord(_message.Message):
    __slots__ = ["agency_id", "category", "decision_date", "effect_end_date", "effect_indefinite", "record_id", "record_version", "responsible_role", "severity", "status"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FIELD_NUMBER: _ClassVar[int]
    EFFECT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    EFFECT_INDEFINITE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_VERSION_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ROLE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    category: _records_pb2.Category
    decision_date: str
    effect_end_date: str
    effect_indefinite: bool
    record_id: str
    record_version: int
    responsible_role: _records_pb2.ResponsibleRole
    severity: _records_pb2.Severity
    status: _records_pb2.RecordStatus
    def __init__(self, record_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., category: _Optional[_Union[_records_pb2.Category, str]] = ..., severity: _Optional[_Union[_records_pb2.Severity, str]] = ..., decision_date: _Optional[str] = ..., status: _Optional[_Union[_records_pb2.RecordStatus, str]] = ..., effect_end_date: _Optional[str] = ..., effect_indefinite: bool = ..., responsible_role: _Optional[_Union[_records_pb2.ResponsibleRole, str]] = ..., record_version: _Optional[int] = ...) -> None: ...

class Purpose(_message.Message):
    __slots__ = ["appraisal_type", "case_reference"]
    APPRAISAL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    appraisal_type: AppraisalType
    case_reference: str
    def __init__(self, appraisal_type: _Optional[_Union[AppraisalType, str]] = ..., case_reference: _Optional[str] = ...) -> None: ...

class AppraisalType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AppraisalBasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
