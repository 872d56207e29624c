from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetReceiptKeysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetReceiptKeysResponse(_message.Message):
    __slots__ = ["keys"]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[ReceiptKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[ReceiptKey, _Mapping]]] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ["key_id", "signature", "signed_payload"]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    signature: bytes
    signed_payload: bytes
    def __init__(self, signed_payload: _Optional[bytes] = ..., key_id: _Optional[str] = ..., signature: _Optional[bytes] = ...) -> None: ...

class ReceiptKey(_message.Message):
    __slots__ = ["algorithm", "current", "key_id", "public_key_pem", "public_key_spki"]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_PEM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_SPKI_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    current: bool
    key_id: str
    public_key_pem: str
    public_key_spki: bytes
    def __init__(self, key_id: _Optional[str] = ..., algorithm: _Optional[str] = ..., public_key_spki: _Optional[bytes] = ..., public_key_pem: _Optional[str] = ..., current: bool = ...) -> None: ...

class ReceiptPayload(_message.Message):
    __slots__ = ["accepted_at", "agency_id", "content_sha256", "key_id", "record_id", "request_sha256", "sequence", "source_record_id"]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    accepted_at: _timestamp_pb2.Timestamp
    agency_id: str
    content_sha256: str
    key_id: str
    record_id: str
    request_sha256: str
    sequence: int
    source_record_id: str
    def __init__(self, record_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., source_record_id: _Optional[str] = ..., content_sha256: _Optional[str] = ..., sequence: _Optional[int] = ..., accepted_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., key_id: _Optional[str] = ..., request_sha256: _Optional[str] = ...) -> None: ...
