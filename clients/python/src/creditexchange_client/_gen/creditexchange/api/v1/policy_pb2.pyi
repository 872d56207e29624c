from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
POLICY_FIELD_NUMBER: _ClassVar[int]
policy: _descriptor.FieldDescriptor

class MethodPolicy(_message.Message):
    __slots__ = ["idempotent", "long_lived", "scope"]
    IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
    LONG_LIVED_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    idempotent: bool
    long_lived: bool
    scope: str
    def __init__(self, scope: _Optional[str] = ..., idempotent: bool = ..., long_lived: bool = ...) -> None: ...
