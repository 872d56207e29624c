from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.lifecycle.v1 import lifecycle_pb2 as _lifecycle_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from creditexchange.statistics.v1 import statistics_pb2 as _statistics_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CHAIN_PROBLEM_KIND_ALTERED: ChainProblemKind
CHAIN_PROBLEM_KIND_DELETED: ChainProblemKind
CHAIN_PROBLEM_KIND_INSERTED: ChainProblemKind
CHAIN_PROBLEM_KIND_TRUNCATED: ChainProblemKind
CHAIN_PROBLEM_KIND_UNREADABLE: ChainProblemKind
CHAIN_PROBLEM_KIND_UNSPECIFIED: ChainProblemKind
CHECKPOINT_STAMP_STATUS_PENDING: CheckpointStampStatus
CHECKPOINT_STAMP_STATUS_STAMPED: CheckpointStampStatus
CHECKPOINT_STAMP_STATUS_UNSPECIFIED: CheckpointStampStatus
DESCRIPTOR: _descriptor.FileDescriptor

class AuditEntry(_message.Message):
    __slots__ = ["agency_id", "certificate_subject", "certificate_thumbprint", "chain_position", "chain_segment", "entry_hash", "method", "outcome", "purpose", "record_ids", "sealed", "sequence", "subject_hashes", "time"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_THUMBPRINT_FIELD_NUMBER: _ClassVar[int]
    CHAIN_POSITION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_SEGMENT_FIELD_NUMBER: _ClassVar[int]
    ENTRY_HASH_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RECORD_IDS_FIELD_NUMBER: _ClassVar[int]
    SEALED_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_HASHES_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    certificate_subject: str
    certificate_thumbprint: str
    chain_position: int
    chain_segment: int
    entry_hash: str
    method: str
    outcome: Outcome
    purpose: str
    record_ids: _containers.RepeatedScalarFieldContainer[str]
    sealed: bool
    sequence: int
    subject_hashes: _containers.RepeatedScalarFieldContainer[str]
    time: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., agency_id: _Optional[str] = ..., certificate_subject: _Optional[str] = ..., certificate_thumbprint: _Optional[str] = ..., method: _Optional[str] = ..., subject_hashes: _Optional[_Iterable[str]] = ..., purpose: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, _Mapping]] = ..., record_ids: _Optional[_Iterable[str]] = ..., sealed: bool = ..., chain_position: _Optional[int] = ..., entry_hash: _Optional[str] = ..., chain_segment: _Optional[int] = ...) -> None: ...

class ChainCheckpoint(_message.Message):
    __slots__ = ["chain_position", "chain_segment", "entries_count", "entries_from_position", "entries_root", "entry_hash", "key_id", "number", "time"]
    CHAIN_POSITION_FIELD_NUMBER: _ClassVar[int]
    CHAIN_SEGMENT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_COUNT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FROM_POSITION_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_ROOT_FIELD_NUMBER: _ClassVar[int]
    ENTRY_HASH_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    chain_position: int
    chain_segment: int
    entries_count: int
    entries_from_position: int
    entries_root: bytes
    entry_hash: str
    key_id: str
    number: int
    time: _timestamp_pb2.Timestamp
    def __init__(self, chain_position: _Optional[int] = ..., entry_hash: _Optional[str] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., key_id: _Optional[str] = ..., chain_segment: _Optional[int] = ..., number: _Optional[int] = ..., entries_from_position: _Optional[int] = ..., entries_count: _Optional[int] = ..., entries_root: _Optional[bytes] = ...) -> None: ...

class ChainProblem(_message.Message):
    __slots__ = ["description", "expected_chain_position", "kind", "sequence"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CHAIN_POSITION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    description: str
    expected_chain_position: int
    kind: ChainProblemKind
    sequence: int
    def __init__(self, sequence: _Optional[int] = ..., expected_chain_position: _Optional[int] = ..., kind: _Optional[_Union[ChainProblemKind, str]] = ..., description: _Optional[str] = ...) -> None: ...

class ChangeCoverageWarning(_message.Message):
    __slots__ = ["acknowledged_count", "change", "delivered_count", "due_date", "occurred_at", "recipient_count", "record_id", "sequence", "unacknowledged_agency_ids", "version"]
    ACKNOWLEDGED_COUNT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    UNACKNOWLEDGED_AGENCY_IDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    acknowledged_count: int
    change: _lifecycle_pb2.RecordChange
    delivered_count: int
    due_date: str
    occurred_at: _timestamp_pb2.Timestamp
    recipient_count: int
    record_id: str
    sequence: int
    unacknowledged_agency_ids: _containers.RepeatedScalarFieldContainer[str]
    version: int
    def __init__(self, record_id: _Optional[str] = ..., version: _Optional[int] = ..., change: _Optional[_Union[_lifecycle_pb2.RecordChange, str]] = ..., sequence: _Optional[int] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., due_date: _Optional[str] = ..., recipient_count: _Optional[int] = ..., delivered_count: _Optional[int] = ..., acknowledged_count: _Optional[int] = ..., unacknowledged_agency_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ChangeRecipient(_message.Message):
    __slots__ = ["acknowledged", "acknowledged_at", "agency_id", "delivered", "first_delivered_at", "first_version", "latest_delivered_at", "latest_version"]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    FIRST_DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    acknowledged: bool
    acknowledged_at: _timestamp_pb2.Timestamp
    agency_id: str
    delivered: bool
    first_delivered_at: _timestamp_pb2.Timestamp
    first_version: int
    latest_delivered_at: _timestamp_pb2.Timestamp
    latest_version: int
    def __init__(self, agency_id: _Optional[str] = ..., first_version: _Optional[int] = ..., first_delivered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., latest_version: _Optional[int] = ..., latest_delivered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., delivered: bool = ..., acknowledged: bool = ..., acknowledged_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetChangeReachRequest(_message.Message):
    __slots__ = ["record_id", "version"]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    version: int
    def __init__(self, record_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetChangeReachResponse(_message.Message):
    __slots__ = ["acknowledged_count", "acknowledgement_limit", "change", "changed_by_agency_id", "delivered_count", "occurred_at", "recipients", "record_id", "sequence", "version"]
    ACKNOWLEDGED_COUNT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_COUNT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    acknowledged_count: int
    acknowledgement_limit: _lifecycle_pb2.TimeLimit
    change: _lifecycle_pb2.RecordChange
    changed_by_agency_id: str
    delivered_count: int
    occurred_at: _timestamp_pb2.Timestamp
    recipients: _containers.RepeatedCompositeFieldContainer[ChangeRecipient]
    record_id: str
    sequence: int
    version: int
    def __init__(self, record_id: _Optional[str] = ..., version: _Optional[int] = ..., change: _Optional[_Union[_lifecycle_pb2.RecordChange, str]] = ..., changed_by_agency_id: _Optional[str] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., sequence: _Optional[int] = ..., acknowledgement_limit: _Optional[_Union[_lifecycle_pb2.TimeLimit, _Mapping]] = ..., recipients: _Optional[_Iterable[_Union[ChangeRecipient, _Mapping]]] = ..., delivered_count: _Optional[int] = ..., acknowledged_count: _Optional[int] = ...) -> None: ...

class GetChangeReachStatisticsRequest(_message.Message):
    __slots__ = ["division_code", "page_size", "page_token", "region_level", "working_days"]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REGION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    division_code: str
    page_size: int
    page_token: str
    region_level: _statistics_pb2.RegionLevel
    working_days: int
    def __init__(self, working_days: _Optional[int] = ..., region_level: _Optional[_Union[_statistics_pb2.RegionLevel, str]] = ..., division_code: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetChangeReachStatisticsResponse(_message.Message):
    __slots__ = ["acknowledgement_limit", "as_of_date", "groups", "next_page_token", "warning_count", "warnings"]
    ACKNOWLEDGEMENT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    WARNING_COUNT_FIELD_NUMBER: _ClassVar[int]
    acknowledgement_limit: _lifecycle_pb2.TimeLimit
    as_of_date: str
    groups: _containers.RepeatedCompositeFieldContainer[UnacknowledgedChanges]
    next_page_token: str
    warning_count: int
    warnings: _containers.RepeatedCompositeFieldContainer[ChangeCoverageWarning]
    def __init__(self, as_of_date: _Optional[str] = ..., acknowledgement_limit: _Optional[_Union[_lifecycle_pb2.TimeLimit, _Mapping]] = ..., groups: _Optional[_Iterable[_Union[UnacknowledgedChanges, _Mapping]]] = ..., warnings: _Optional[_Iterable[_Union[ChangeCoverageWarning, _Mapping]]] = ..., warning_count: _Optional[int] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListAuditEntriesRequest(_message.Message):
    __slots__ = ["agency_id", "page_size", "page_token", "subject", "to"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    page_size: int
    page_token: str
    subject: _records_pb2.SubjectKey
    to: _timestamp_pb2.Timestamp
    def __init__(self, agency_id: _Optional[str] = ..., subject: _Optional[_Union[_records_pb2.SubjectKey, _Mapping]] = ..., to: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., **kwargs) -> None: ...

class ListAuditEntriesResponse(_message.Message):
    __slots__ = ["entries", "next_page_token"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListCheckpointsRequest(_message.Message):
    __slots__ = ["after_number", "page_size"]
    AFTER_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    after_number: int
    page_size: int
    def __init__(self, page_size: _Optional[int] = ..., after_number: _Optional[int] = ...) -> None: ...

class ListCheckpointsResponse(_message.Message):
    __slots__ = ["checkpoints", "more"]
    CHECKPOINTS_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    checkpoints: _containers.RepeatedCompositeFieldContainer[StoredCheckpoint]
    more: bool
    def __init__(self, checkpoints: _Optional[_Iterable[_Union[StoredCheckpoint, _Mapping]]] = ..., more: bool = ...) -> None: ...

class Outcome(_message.Message):
    __slots__ = ["code", "reason"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: int
    reason: str
    def __init__(self, code: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class SignedChainCheckpoint(_message.Message):
    __slots__ = ["checkpoint", "key_id", "signature"]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    checkpoint: bytes
    key_id: str
    signature: bytes
    def __init__(self, checkpoint: _Optional[bytes] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class StoredCheckpoint(_message.Message):
    __slots__ = ["checkpoint", "created_time", "stamp_status", "stamped_time", "timestamp_token"]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    STAMPED_TIME_FIELD_NUMBER: _ClassVar[int]
    STAMP_STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_TOKEN_FIELD_NUMBER: _ClassVar[int]
    checkpoint: SignedChainCheckpoint
    created_time: _timestamp_pb2.Timestamp
    stamp_status: CheckpointStampStatus
    stamped_time: _timestamp_pb2.Timestamp
    timestamp_token: bytes
    def __init__(self, checkpoint: _Optional[_Union[SignedChainCheckpoint, _Mapping]] = ..., stamp_status: _Optional[_Union[CheckpointStampStatus, str]] = ..., timestamp_token: _Optional[bytes] = ..., stamped_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UnacknowledgedChanges(_message.Message):
    __slots__ = ["agency_id", "change_count", "division_code", "oldest_occurred_at", "undelivered_count"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    OLDEST_OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    UNDELIVERED_COUNT_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    change_count: int
    division_code: str
    oldest_occurred_at: _timestamp_pb2.Timestamp
    undelivered_count: int
    def __init__(self, agency_id: _Optional[str] = ..., division_code: _Optional[str] = ..., change_count: _Optional[int] = ..., undelivered_count: _Optional[int] = ..., oldest_occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VerifyAuditChainRequest(_message.Message):
    __slots__ = ["known_checkpoints"]
    KNOWN_CHECKPOINTS_FIELD_NUMBER: _ClassVar[int]
    known_checkpoints: _containers.RepeatedCompositeFieldContainer[SignedChainCheckpoint]
    def __init__(self, known_checkpoints: _Optional[_Iterable[_Union[SignedChainCheckpoint, _Mapping]]] = ...) -> None: ...

class VerifyAuditChainResponse(_message.Message):
    __slots__ = ["checkpoint", "checkpoint_problems", "first_problem", "head_chain_position", "head_chain_segment", "head_hash", "intact", "last_sealed_sequence", "more_problems", "oldest_unsealed_time", "problems", "sealed_entries", "stored_checkpoints", "unsealed_entries"]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    FIRST_PROBLEM_FIELD_NUMBER: _ClassVar[int]
    HEAD_CHAIN_POSITION_FIELD_NUMBER: _ClassVar[int]
    HEAD_CHAIN_SEGMENT_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    INTACT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEALED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MORE_PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    OLDEST_UNSEALED_TIME_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    SEALED_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    STORED_CHECKPOINTS_FIELD_NUMBER: _ClassVar[int]
    UNSEALED_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    checkpoint: SignedChainCheckpoint
    checkpoint_problems: _containers.RepeatedScalarFieldContainer[str]
    first_problem: ChainProblem
    head_chain_position: int
    head_chain_segment: int
    head_hash: str
    intact: bool
    last_sealed_sequence: int
    more_problems: bool
    oldest_unsealed_time: _timestamp_pb2.Timestamp
    problems: _containers.RepeatedCompositeFieldContainer[ChainProblem]
    sealed_entries: int
    stored_checkpoints: int
    unsealed_entries: int
    def __init__(self, intact: bool = ..., sealed_entries: _Optional[int] = ..., last_sealed_sequence: _Optional[int] = ..., unsealed_entries: _Optional[int] = ..., oldest_unsealed_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., first_problem: _Optional[_Union[ChainProblem, _Mapping]] = ..., head_chain_position: _Optional[int] = ..., head_hash: _Optional[str] = ..., checkpoint: _Optional[_Union[SignedChainCheckpoint, _Mapping]] = ..., problems: _Optional[_Iterable[_Union[ChainProblem, _Mapping]]] = ..., more_problems: bool = ..., head_chain_segment: _Optional[int] = ..., stored_checkpoints: _Optional[int] = ..., checkpoint_problems: _Optional[_Iterable[str]] = ...) -> None: ...

class ChainProblemKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CheckpointStampStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
