from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Agency(_message.Message):
    __slots__ = ["agency_id", "categories", "certificate_subject", "certificate_uri", "display_name", "domains", "may_query", "pinned_thumbprint", "scopes", "suspended"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_URI_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    MAY_QUERY_FIELD_NUMBER: _ClassVar[int]
    PINNED_THUMBPRINT_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    categories: _containers.RepeatedScalarFieldContainer[_records_pb2.Category]
    certificate_subject: str
    certificate_uri: str
    display_name: str
    domains: _containers.RepeatedScalarFieldContainer[_records_pb2.RecordDomain]
    may_query: bool
    pinned_thumbprint: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    suspended: bool
    def __init__(self, agency_id: _Optional[str] = ..., display_name: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_records_pb2.Category, str]]] = ..., domains: _Optional[_Iterable[_Union[_records_pb2.RecordDomain, str]]] = ..., may_query: bool = ..., scopes: _Optional[_Iterable[str]] = ..., certificate_uri: _Optional[str] = ..., certificate_subject: _Optional[str] = ..., pinned_thumbprint: _Optional[str] = ..., suspended: bool = ...) -> None: ...

class CertificateIdentity(_message.Message):
    __slots__ = ["pinned_thumbprint", "subject", "uri"]
    PINNED_THUMBPRINT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    pinned_thumbprint: str
    subject: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., subject: _Optional[str] = ..., pinned_thumbprint: _Optional[str] = ...) -> None: ...

class Competence(_message.Message):
    __slots__ = ["categories", "domains", "may_query", "scopes"]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    MAY_QUERY_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[_records_pb2.Category]
    domains: _containers.RepeatedScalarFieldContainer[_records_pb2.RecordDomain]
    may_query: bool
    scopes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, categories: _Optional[_Iterable[_Union[_records_pb2.Category, str]]] = ..., domains: _Optional[_Iterable[_Union[_records_pb2.RecordDomain, str]]] = ..., may_query: bool = ..., scopes: _Optional[_Iterable[str]] = ...) -> None: ...

class ListAgenciesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListAgenciesResponse(_message.Message):
    __slots__ = ["agencies"]
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ...) -> None: ...

class RegisterAgencyRequest(_message.Message):
    __slots__ = ["agency_id", "certificate", "competence", "display_name", "purpose"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    certificate: CertificateIdentity
    competence: Competence
    display_name: str
    purpose: str
    def __init__(self, agency_id: _Optional[str] = ..., display_name: _Optional[str] = ..., competence: _Optional[_Union[Competence, _Mapping]] = ..., certificate: _Optional[_Union[CertificateIdentity, _Mapping]] = ..., purpose: _Optional[str] = ...) -> None: ...

class RegisterAgencyResponse(_message.Message):
    __slots__ = ["agency"]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class ReinstateAgencyRequest(_message.Message):
    __slots__ = ["agency_id", "purpose"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    purpose: str
    def __init__(self, agency_id: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class ReinstateAgencyResponse(_message.Message):
    __slots__ = ["agency"]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class ReloadRevocationListRequest(_message.Message):
    __slots__ = ["purpose"]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    purpose: str
    def __init__(self, purpose: _Optional[str] = ...) -> None: ...

class ReloadRevocationListResponse(_message.Message):
    __slots__ = ["revoked_count"]
    REVOKED_COUNT_FIELD_NUMBER: _ClassVar[int]
    revoked_count: int
    def __init__(self, revoked_count: _Optional[int] = ...) -> None: ...

class RotateAgencyCertificateRequest(_message.Message):
    __slots__ = ["agency_id", "certificate", "purpose"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    certificate: CertificateIdentity
    purpose: str
    def __init__(self, agency_id: _Optional[str] = ..., certificate: _Optional[_Union[CertificateIdentity, _Mapping]] = ..., purpose: _Optional[str] = ...) -> None: ...

class RotateAgencyCertificateResponse(_message.Message):
    __slots__ = ["agency"]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class SuspendAgencyRequest(_message.Message):
    __slots__ = ["agency_id", "purpose"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    purpose: str
    def __init__(self, agency_id: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class SuspendAgencyResponse(_message.Message):
    __slots__ = ["agency"]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...

class UpdateAgencyRequest(_message.Message):
    __slots__ = ["agency_id", "competence", "purpose"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    COMPETENCE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    competence: Competence
    purpose: str
    def __init__(self, agency_id: _Optional[str] = ..., competence: _Optional[_Union[Competence, _Mapping]] = ..., purpose: _Optional[str] = ...) -> None: ...

class UpdateAgencyResponse(_message.Message):
    __slots__ = ["agency"]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ...) -> None: ...
