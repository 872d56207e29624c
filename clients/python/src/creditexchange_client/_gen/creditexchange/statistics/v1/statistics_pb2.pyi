from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
DIMENSION_AGENCY: Dimension
DIMENSION_CATEGORY: Dimension
DIMENSION_PERIOD: Dimension
DIMENSION_REGION: Dimension
DIMENSION_SEVERITY: Dimension
DIMENSION_UNSPECIFIED: Dimension
PERIOD_MONTH: Period
PERIOD_UNSPECIFIED: Period
PERIOD_YEAR: Period
REGION_LEVEL_COUNTY: RegionLevel
REGION_LEVEL_PREFECTURE: RegionLevel
REGION_LEVEL_REGION: RegionLevel
REGION_LEVEL_TOWNSHIP: RegionLevel
REGION_LEVEL_UNSPECIFIED: RegionLevel
WARNING_REASON_ARREARS: WarningReason
WARNING_REASON_RECORD_COUNT: WarningReason
WARNING_REASON_SERIOUS_COUNT: WarningReason
WARNING_REASON_UNSPECIFIED: WarningReason
WARNING_TARGET_GOVERNMENT_BODY: WarningTarget
WARNING_TARGET_REGION: WarningTarget
WARNING_TARGET_UNSPECIFIED: WarningTarget

class GetRecordStatisticsRequest(_message.Message):
    __slots__ = ["as_of_date", "decision_date_from", "decision_date_to", "division_code", "group_by", "period", "region_level", "statuses"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_TO_FIELD_NUMBER: _ClassVar[int]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REGION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    decision_date_from: str
    decision_date_to: str
    division_code: str
    group_by: _containers.RepeatedScalarFieldContainer[Dimension]
    period: Period
    region_level: RegionLevel
    statuses: _containers.RepeatedScalarFieldContainer[_records_pb2.RecordStatus]
    def __init__(self, decision_date_from: _Optional[str] = ..., decision_date_to: _Optional[str] = ..., group_by: _Optional[_Iterable[_Union[Dimension, str]]] = ..., region_level: _Optional[_Union[RegionLevel, str]] = ..., period: _Optional[_Union[Period, str]] = ..., statuses: _Optional[_Iterable[_Union[_records_pb2.RecordStatus, str]]] = ..., division_code: _Optional[str] = ..., as_of_date: _Optional[str] = ...) -> None: ...

class GetRecordStatisticsResponse(_message.Message):
    __slots__ = ["as_of_date", "groups", "total_arrears_fen", "total_migrant_workers_wage_arrears_fen", "total_outstanding_arrears_fen", "total_project_payment_arrears_fen", "total_record_count"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MIGRANT_WORKERS_WAGE_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_OUTSTANDING_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PROJECT_PAYMENT_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    groups: _containers.RepeatedCompositeFieldContainer[StatisticsGroup]
    total_arrears_fen: int
    total_migrant_workers_wage_arrears_fen: int
    total_outstanding_arrears_fen: int
    total_project_payment_arrears_fen: int
    total_record_count: int
    def __init__(self, groups: _Optional[_Iterable[_Union[StatisticsGroup, _Mapping]]] = ..., total_record_count: _Optional[int] = ..., total_arrears_fen: _Optional[int] = ..., as_of_date: _Optional[str] = ..., total_outstanding_arrears_fen: _Optional[int] = ..., total_project_payment_arrears_fen: _Optional[int] = ..., total_migrant_workers_wage_arrears_fen: _Optional[int] = ...) -> None: ...

class ListWarningsRequest(_message.Message):
    __slots__ = ["as_of_date", "decision_date_from", "decision_date_to", "region_level"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DECISION_DATE_TO_FIELD_NUMBER: _ClassVar[int]
    REGION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    decision_date_from: str
    decision_date_to: str
    region_level: RegionLevel
    def __init__(self, decision_date_from: _Optional[str] = ..., decision_date_to: _Optional[str] = ..., region_level: _Optional[_Union[RegionLevel, str]] = ..., as_of_date: _Optional[str] = ...) -> None: ...

class ListWarningsResponse(_message.Message):
    __slots__ = ["as_of_date", "warnings"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    warnings: _containers.RepeatedCompositeFieldContainer[Warning]
    def __init__(self, warnings: _Optional[_Iterable[_Union[Warning, _Mapping]]] = ..., as_of_date: _Optional[str] = ...) -> None: ...

class Region(_message.Message):
    __slots__ = ["division_code", "level"]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    division_code: str
    level: RegionLevel
    def __init__(self, division_code: _Optional[str] = ..., level: _Optional[_Union[RegionLevel, str]] = ...) -> None: ...

class StatisticsGroup(_message.Message):
    __slots__ = ["agency_id", "arrears_fen", "arrears_record_count", "category", "government_debt_record_count", "migrant_workers_wage_arrears_fen", "outstanding_arrears_fen", "period", "project_payment_arrears_fen", "record_count", "region", "severity"]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    ARREARS_RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GOVERNMENT_DEBT_RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    MIGRANT_WORKERS_WAGE_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PROJECT_PAYMENT_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    arrears_fen: int
    arrears_record_count: int
    category: _records_pb2.Category
    government_debt_record_count: int
    migrant_workers_wage_arrears_fen: int
    outstanding_arrears_fen: int
    period: str
    project_payment_arrears_fen: int
    record_count: int
    region: Region
    severity: _records_pb2.Severity
    def __init__(self, region: _Optional[_Union[Region, _Mapping]] = ..., agency_id: _Optional[str] = ..., category: _Optional[_Union[_records_pb2.Category, str]] = ..., severity: _Optional[_Union[_records_pb2.Severity, str]] = ..., period: _Optional[str] = ..., record_count: _Optional[int] = ..., arrears_fen: _Optional[int] = ..., government_debt_record_count: _Optional[int] = ..., project_payment_arrears_fen: _Optional[int] = ..., migrant_workers_wage_arrears_fen: _Optional[int] = ..., outstanding_arrears_fen: _Optional[int] = ..., arrears_record_count: _Optional[int] = ...) -> None: ...

class Warning(_message.Message):
    __slots__ = ["arrears_fen", "key", "outstanding_arrears_fen", "reasons", "record_count", "region_level", "serious_count", "target"]
    ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    REGION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SERIOUS_COUNT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    arrears_fen: int
    key: str
    outstanding_arrears_fen: int
    reasons: _containers.RepeatedScalarFieldContainer[WarningReason]
    record_count: int
    region_level: RegionLevel
    serious_count: int
    target: WarningTarget
    def __init__(self, target: _Optional[_Union[WarningTarget, str]] = ..., key: _Optional[str] = ..., region_level: _Optional[_Union[RegionLevel, str]] = ..., reasons: _Optional[_Iterable[_Union[WarningReason, str]]] = ..., record_count: _Optional[int] = ..., serious_count: _Optional[int] = ..., arrears_fen: _Optional[int] = ..., outstanding_arrears_fen: _Optional[int] = ...) -> None: ...

class Dimension(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RegionLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Period(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WarningTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WarningReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
