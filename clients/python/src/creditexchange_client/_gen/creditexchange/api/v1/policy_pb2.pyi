from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
POLICY_FIELD_NUMBER: _ClassVar[int]
policy: _descriptor.FieldDescriptor

class MethodPolicy(_message.Message):
    __slots__ = ["bulk", "idempotent", "long_lived", "scope"]
    BULK_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
    LONG_LIVED_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    bulk: bool
    idempotent: bool
    long_lived: bool
    scope: str
    def __init__(self, scope: _Optional[str] = ..., idempotent: bool = ..., long_lived: bool = ..., bulk: bool = ...) -> None: ...
