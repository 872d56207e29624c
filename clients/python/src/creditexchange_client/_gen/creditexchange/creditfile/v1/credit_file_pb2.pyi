from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.lifecycle.v1 import lifecycle_pb2 as _lifecycle_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreditFile(_message.Message):
    __slots__ = ["as_of_date", "entries", "in_force_count", "responsible_in_force_count", "subject", "total_entries"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    IN_FORCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_IN_FORCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    entries: _containers.RepeatedCompositeFieldContainer[CreditFileEntry]
    in_force_count: int
    responsible_in_force_count: int
    subject: _records_pb2.SubjectKey
    total_entries: int
    def __init__(self, subject: _Optional[_Union[_records_pb2.SubjectKey, _Mapping]] = ..., entries: _Optional[_Iterable[_Union[CreditFileEntry, _Mapping]]] = ..., in_force_count: _Optional[int] = ..., as_of_date: _Optional[str] = ..., responsible_in_force_count: _Optional[int] = ..., total_entries: _Optional[int] = ...) -> None: ...

class CreditFileEntry(_message.Message):
    __slots__ = ["complaints", "objections", "record", "repairs", "responsible_role", "versions"]
    COMPLAINTS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIONS_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    REPAIRS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ROLE_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    complaints: _containers.RepeatedCompositeFieldContainer[_lifecycle_pb2.Complaint]
    objections: _containers.RepeatedCompositeFieldContainer[_lifecycle_pb2.Objection]
    record: _records_pb2.Record
    repairs: _containers.RepeatedCompositeFieldContainer[_lifecycle_pb2.RepairApplication]
    responsible_role: _records_pb2.ResponsibleRole
    versions: _containers.RepeatedCompositeFieldContainer[_lifecycle_pb2.RecordVersion]
    def __init__(self, record: _Optional[_Union[_records_pb2.Record, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[_lifecycle_pb2.RecordVersion, _Mapping]]] = ..., objections: _Optional[_Iterable[_Union[_lifecycle_pb2.Objection, _Mapping]]] = ..., repairs: _Optional[_Iterable[_Union[_lifecycle_pb2.RepairApplication, _Mapping]]] = ..., responsible_role: _Optional[_Union[_records_pb2.ResponsibleRole, str]] = ..., complaints: _Optional[_Iterable[_Union[_lifecycle_pb2.Complaint, _Mapping]]] = ...) -> None: ...

class GetCreditFileRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "subject"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    subject: _records_pb2.SubjectKey
    def __init__(self, subject: _Optional[_Union[_records_pb2.SubjectKey, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetCreditFileResponse(_message.Message):
    __slots__ = ["credit_file", "next_page_token"]
    CREDIT_FILE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    credit_file: CreditFile
    next_page_token: str
    def __init__(self, credit_file: _Optional[_Union[CreditFile, _Mapping]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
