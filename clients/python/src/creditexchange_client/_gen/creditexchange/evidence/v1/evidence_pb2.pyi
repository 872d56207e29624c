from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ExportEvidenceRequest(_message.Message):
    __slots__ = ["include_signed_requests", "purpose", "record_id"]
    INCLUDE_SIGNED_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    include_signed_requests: bool
    purpose: str
    record_id: str
    def __init__(self, record_id: _Optional[str] = ..., purpose: _Optional[str] = ..., include_signed_requests: bool = ...) -> None: ...

class ExportEvidenceResponse(_message.Message):
    __slots__ = ["bundle", "file_name", "manifest_sha256"]
    BUNDLE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    bundle: bytes
    file_name: str
    manifest_sha256: str
    def __init__(self, bundle: _Optional[bytes] = ..., file_name: _Optional[str] = ..., manifest_sha256: _Optional[str] = ...) -> None: ...
