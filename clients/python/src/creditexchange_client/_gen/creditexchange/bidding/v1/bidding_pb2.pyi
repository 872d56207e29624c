from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.api.v1 import signing_pb2 as _signing_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

BIDDING_DOMAIN_GOVERNMENT_PROCUREMENT: BiddingDomain
BIDDING_DOMAIN_HOUSING_AND_MUNICIPAL: BiddingDomain
BIDDING_DOMAIN_LAND_AND_MINERAL: BiddingDomain
BIDDING_DOMAIN_TRADING_VENUE: BiddingDomain
BIDDING_DOMAIN_UNSPECIFIED: BiddingDomain
BIDDING_DOMAIN_WATER_CONSERVANCY: BiddingDomain
DESCRIPTOR: _descriptor.FileDescriptor
ENTRY_STATE_EXITED: EntryState
ENTRY_STATE_IN_FORCE: EntryState
ENTRY_STATE_REMOVED: EntryState
ENTRY_STATE_UNSPECIFIED: EntryState
MARKET_ROLE_BIDDER: MarketRole
MARKET_ROLE_TENDERING_AGENCY: MarketRole
MARKET_ROLE_UNSPECIFIED: MarketRole

class AnswerEntryObjectionRequest(_message.Message):
    __slots__ = ["answer", "entry_id", "expected_version", "signature", "upheld"]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    UPHELD_FIELD_NUMBER: _ClassVar[int]
    answer: str
    entry_id: str
    expected_version: int
    signature: _signing_pb2.RequestSignature
    upheld: bool
    def __init__(self, entry_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., upheld: bool = ..., answer: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class AnswerEntryObjectionResponse(_message.Message):
    __slots__ = ["entry"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: Entry
    def __init__(self, entry: _Optional[_Union[Entry, _Mapping]] = ...) -> None: ...

class Entry(_message.Message):
    __slots__ = ["content", "deciding_agency_id", "entry_id", "listed_at", "objection_open", "removal_reason", "source_entry_id", "state", "version"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DECIDING_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    OBJECTION_OPEN_FIELD_NUMBER: _ClassVar[int]
    REMOVAL_REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    content: EntryContent
    deciding_agency_id: str
    entry_id: str
    listed_at: _timestamp_pb2.Timestamp
    objection_open: bool
    removal_reason: str
    source_entry_id: str
    state: EntryState
    version: int
    def __init__(self, entry_id: _Optional[str] = ..., deciding_agency_id: _Optional[str] = ..., source_entry_id: _Optional[str] = ..., content: _Optional[_Union[EntryContent, _Mapping]] = ..., state: _Optional[_Union[EntryState, str]] = ..., version: _Optional[int] = ..., listed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., removal_reason: _Optional[str] = ..., objection_open: bool = ...) -> None: ...

class EntryContent(_message.Message):
    __slots__ = ["decision_number", "domain", "entry_date", "exit_date", "ground", "legal_basis", "subject"]
    DECISION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ENTRY_DATE_FIELD_NUMBER: _ClassVar[int]
    EXIT_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    decision_number: str
    domain: BiddingDomain
    entry_date: str
    exit_date: str
    ground: str
    legal_basis: str
    subject: MarketSubject
    def __init__(self, subject: _Optional[_Union[MarketSubject, _Mapping]] = ..., domain: _Optional[_Union[BiddingDomain, str]] = ..., decision_number: _Optional[str] = ..., ground: _Optional[str] = ..., legal_basis: _Optional[str] = ..., entry_date: _Optional[str] = ..., exit_date: _Optional[str] = ...) -> None: ...

class FileEntryObjectionRequest(_message.Message):
    __slots__ = ["entry_id", "expected_version", "grounds", "signature"]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    expected_version: int
    grounds: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, entry_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., grounds: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class FileEntryObjectionResponse(_message.Message):
    __slots__ = ["entry"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: Entry
    def __init__(self, entry: _Optional[_Union[Entry, _Mapping]] = ...) -> None: ...

class GetEntryRequest(_message.Message):
    __slots__ = ["entry_id"]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    def __init__(self, entry_id: _Optional[str] = ...) -> None: ...

class GetEntryResponse(_message.Message):
    __slots__ = ["entry"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: Entry
    def __init__(self, entry: _Optional[_Union[Entry, _Mapping]] = ...) -> None: ...

class GetTenderingAgencyRequest(_message.Message):
    __slots__ = ["credit_code"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    def __init__(self, credit_code: _Optional[str] = ...) -> None: ...

class GetTenderingAgencyResponse(_message.Message):
    __slots__ = ["entries", "profile"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[PublishedEntry]
    profile: PublishedTenderingAgency
    def __init__(self, profile: _Optional[_Union[PublishedTenderingAgency, _Mapping]] = ..., entries: _Optional[_Iterable[_Union[PublishedEntry, _Mapping]]] = ...) -> None: ...

class ListPublishedEntriesRequest(_message.Message):
    __slots__ = ["credit_code", "domain", "page_size", "page_token"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    domain: BiddingDomain
    page_size: int
    page_token: str
    def __init__(self, credit_code: _Optional[str] = ..., domain: _Optional[_Union[BiddingDomain, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPublishedEntriesResponse(_message.Message):
    __slots__ = ["entries", "next_page_token"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[PublishedEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[PublishedEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MarketSubject(_message.Message):
    __slots__ = ["credit_code", "legal_representative", "name", "role"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REPRESENTATIVE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    legal_representative: str
    name: str
    role: MarketRole
    def __init__(self, role: _Optional[_Union[MarketRole, str]] = ..., credit_code: _Optional[str] = ..., name: _Optional[str] = ..., legal_representative: _Optional[str] = ...) -> None: ...

class PublishTenderingAgencyRequest(_message.Message):
    __slots__ = ["profile", "signature"]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    profile: TenderingAgencyProfile
    signature: _signing_pb2.RequestSignature
    def __init__(self, profile: _Optional[_Union[TenderingAgencyProfile, _Mapping]] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class PublishTenderingAgencyResponse(_message.Message):
    __slots__ = ["profile"]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: PublishedTenderingAgency
    def __init__(self, profile: _Optional[_Union[PublishedTenderingAgency, _Mapping]] = ...) -> None: ...

class PublishedEntry(_message.Message):
    __slots__ = ["credit_code", "deciding_agency_id", "decision_number", "domain", "entry_date", "entry_id", "exit_date", "ground", "legal_basis", "legal_representative_masked", "name", "role", "tendering_agency"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDING_AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ENTRY_DATE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    EXIT_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_REPRESENTATIVE_MASKED_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TENDERING_AGENCY_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    deciding_agency_id: str
    decision_number: str
    domain: BiddingDomain
    entry_date: str
    entry_id: str
    exit_date: str
    ground: str
    legal_basis: str
    legal_representative_masked: str
    name: str
    role: MarketRole
    tendering_agency: PublishedTenderingAgency
    def __init__(self, entry_id: _Optional[str] = ..., role: _Optional[_Union[MarketRole, str]] = ..., credit_code: _Optional[str] = ..., name: _Optional[str] = ..., legal_representative_masked: _Optional[str] = ..., domain: _Optional[_Union[BiddingDomain, str]] = ..., deciding_agency_id: _Optional[str] = ..., decision_number: _Optional[str] = ..., ground: _Optional[str] = ..., legal_basis: _Optional[str] = ..., entry_date: _Optional[str] = ..., exit_date: _Optional[str] = ..., tendering_agency: _Optional[_Union[PublishedTenderingAgency, _Mapping]] = ...) -> None: ...

class PublishedTenderingAgency(_message.Message):
    __slots__ = ["profile", "published_at", "published_by"]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    profile: TenderingAgencyProfile
    published_at: _timestamp_pb2.Timestamp
    published_by: str
    def __init__(self, profile: _Optional[_Union[TenderingAgencyProfile, _Mapping]] = ..., published_by: _Optional[str] = ..., published_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RemoveEntryRequest(_message.Message):
    __slots__ = ["entry_id", "expected_version", "reason", "signature"]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    expected_version: int
    reason: str
    signature: _signing_pb2.RequestSignature
    def __init__(self, entry_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., reason: _Optional[str] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class RemoveEntryResponse(_message.Message):
    __slots__ = ["entry"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: Entry
    def __init__(self, entry: _Optional[_Union[Entry, _Mapping]] = ...) -> None: ...

class SubmitEntryRequest(_message.Message):
    __slots__ = ["entry", "signature", "source_entry_id"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    entry: EntryContent
    signature: _signing_pb2.RequestSignature
    source_entry_id: str
    def __init__(self, source_entry_id: _Optional[str] = ..., entry: _Optional[_Union[EntryContent, _Mapping]] = ..., signature: _Optional[_Union[_signing_pb2.RequestSignature, _Mapping]] = ...) -> None: ...

class SubmitEntryResponse(_message.Message):
    __slots__ = ["duplicate", "entry"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    entry: Entry
    def __init__(self, entry: _Optional[_Union[Entry, _Mapping]] = ..., duplicate: bool = ...) -> None: ...

class TenderingAgencyProfile(_message.Message):
    __slots__ = ["credit_code", "credit_information", "name", "qualification"]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CREDIT_INFORMATION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATION_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    credit_information: str
    name: str
    qualification: str
    def __init__(self, credit_code: _Optional[str] = ..., name: _Optional[str] = ..., qualification: _Optional[str] = ..., credit_information: _Optional[str] = ...) -> None: ...

class BiddingDomain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class MarketRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EntryState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
