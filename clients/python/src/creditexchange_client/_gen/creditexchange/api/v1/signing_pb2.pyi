from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RequestSignature(_message.Message):
    __slots__ = ["nonce", "signature", "signed_at"]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    nonce: bytes
    signature: bytes
    signed_at: _timestamp_pb2.Timestamp
    def __init__(self, signed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., nonce: _Optional[bytes] = ..., signature: _Optional[bytes] = ...) -> None: ...

class SigningInput(_message.Message):
    __slots__ = ["agency_id", "method", "nonce", "request", "signed_at"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    method: str
    nonce: bytes
    request: bytes
    signed_at: _timestamp_pb2.Timestamp
    def __init__(self, method: _Optional[str] = ..., agency_id: _Optional[str] = ..., signed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., nonce: _Optional[bytes] = ..., request: _Optional[bytes] = ...) -> None: ...
