from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.bidding.v1 import bidding_pb2 as _bidding_pb2
from creditexchange.lifecycle.v1 import lifecycle_pb2 as _lifecycle_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PUNISHMENT_ACTION_IMPOSE: PunishmentAction
PUNISHMENT_ACTION_LIFT: PunishmentAction
PUNISHMENT_ACTION_NONE: PunishmentAction
PUNISHMENT_ACTION_UNSPECIFIED: PunishmentAction
PUNISHMENT_ACTION_UPDATE: PunishmentAction

class AcknowledgeEventsRequest(_message.Message):
    __slots__ = ["sequence", "subscription"]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    subscription: str
    def __init__(self, subscription: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class AcknowledgeEventsResponse(_message.Message):
    __slots__ = ["acknowledged_sequence"]
    ACKNOWLEDGED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    acknowledged_sequence: int
    def __init__(self, acknowledged_sequence: _Optional[int] = ...) -> None: ...

class DeleteSubscriptionRequest(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: str
    def __init__(self, subscription: _Optional[str] = ...) -> None: ...

class DeleteSubscriptionResponse(_message.Message):
    __slots__ = ["subscription"]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: Subscription
    def __init__(self, subscription: _Optional[_Union[Subscription, _Mapping]] = ...) -> None: ...

class FeedEvent(_message.Message):
    __slots__ = ["action", "blacklist_entry", "change", "occurred_at", "record", "record_id", "record_version", "sequence", "source_agency_id", "status"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    BLACKLIST_ENTRY_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_VERSION_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    action: PunishmentAction
    blacklist_entry: _bidding_pb2.Entry
    change: _lifecycle_pb2.RecordChange
    occurred_at: _timestamp_pb2.Timestamp
    record: _records_pb2.Record
    record_id: str
    record_version: int
    sequence: int
    source_agency_id: str
    status: _records_pb2.RecordStatus
    def __init__(self, sequence: _Optional[int] = ..., record_id: _Optional[str] = ..., record_version: _Optional[int] = ..., change: _Optional[_Union[_lifecycle_pb2.RecordChange, str]] = ..., status: _Optional[_Union[_records_pb2.RecordStatus, str]] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., action: _Optional[_Union[PunishmentAction, str]] = ..., source_agency_id: _Optional[str] = ..., record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., blacklist_entry: _Optional[_Union[_bidding_pb2.Entry, _Mapping]] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ["latest_sequence", "oldest_pending_age", "pending_events", "resume_after_sequence", "sent_at"]
    LATEST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OLDEST_PENDING_AGE_FIELD_NUMBER: _ClassVar[int]
    PENDING_EVENTS_FIELD_NUMBER: _ClassVar[int]
    RESUME_AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    latest_sequence: int
    oldest_pending_age: _duration_pb2.Duration
    pending_events: int
    resume_after_sequence: int
    sent_at: _timestamp_pb2.Timestamp
    def __init__(self, latest_sequence: _Optional[int] = ..., resume_after_sequence: _Optional[int] = ..., sent_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., pending_events: _Optional[int] = ..., oldest_pending_age: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ListSubscriptionsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListSubscriptionsResponse(_message.Message):
    __slots__ = ["limit", "subscriptions"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    limit: int
    subscriptions: _containers.RepeatedCompositeFieldContainer[Subscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[Subscription, _Mapping]]] = ..., limit: _Optional[int] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["after_sequence", "categories", "changes", "division_code", "domains", "from_now", "heartbeat_seconds", "received_only", "subscription"]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    FROM_NOW_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_ONLY_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    categories: _containers.RepeatedScalarFieldContainer[_records_pb2.Category]
    changes: _containers.RepeatedScalarFieldContainer[_lifecycle_pb2.RecordChange]
    division_code: str
    domains: _containers.RepeatedScalarFieldContainer[_records_pb2.RecordDomain]
    from_now: bool
    heartbeat_seconds: int
    received_only: bool
    subscription: str
    def __init__(self, after_sequence: _Optional[int] = ..., from_now: bool = ..., subscription: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_records_pb2.Category, str]]] = ..., changes: _Optional[_Iterable[_Union[_lifecycle_pb2.RecordChange, str]]] = ..., domains: _Optional[_Iterable[_Union[_records_pb2.RecordDomain, str]]] = ..., division_code: _Optional[str] = ..., heartbeat_seconds: _Optional[int] = ..., received_only: bool = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ["event", "heartbeat"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    event: FeedEvent
    heartbeat: Heartbeat
    def __init__(self, event: _Optional[_Union[FeedEvent, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ["acknowledged_sequence", "created_at", "name", "updated_at"]
    ACKNOWLEDGED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    acknowledged_sequence: int
    created_at: _timestamp_pb2.Timestamp
    name: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., acknowledged_sequence: _Optional[int] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PunishmentAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
