from buf.validate import validate_pb2 as _validate_pb2
from creditexchange.api.v1 import policy_pb2 as _policy_pb2
from creditexchange.records.v1 import records_pb2 as _records_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
INDICATOR_KIND_DEBT_RISK_WARNING: IndicatorKind
INDICATOR_KIND_OUTSTANDING_ARREARS: IndicatorKind
INDICATOR_KIND_OVERDUE_HANDLINGS: IndicatorKind
INDICATOR_KIND_RECORDS_IN_FORCE: IndicatorKind
INDICATOR_KIND_REPAIRED: IndicatorKind
INDICATOR_KIND_REVOKED: IndicatorKind
INDICATOR_KIND_UNSPECIFIED: IndicatorKind
PERIOD_KIND_UNSPECIFIED: PeriodKind
PERIOD_KIND_YEAR: PeriodKind

class EvaluateIntegrityRequest(_message.Message):
    __slots__ = ["period", "scope", "standard_version"]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    period: str
    scope: EvaluationScope
    standard_version: str
    def __init__(self, scope: _Optional[_Union[EvaluationScope, _Mapping]] = ..., period: _Optional[str] = ..., standard_version: _Optional[str] = ...) -> None: ...

class EvaluateIntegrityResponse(_message.Message):
    __slots__ = ["evaluation"]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    evaluation: Evaluation
    def __init__(self, evaluation: _Optional[_Union[Evaluation, _Mapping]] = ...) -> None: ...

class Evaluation(_message.Message):
    __slots__ = ["as_of_date", "grade", "indicators", "period", "published", "published_at", "published_by", "scope", "score_hundredths", "standard_source", "standard_version"]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCORE_HUNDREDTHS_FIELD_NUMBER: _ClassVar[int]
    STANDARD_SOURCE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    as_of_date: str
    grade: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorResult]
    period: str
    published: bool
    published_at: _timestamp_pb2.Timestamp
    published_by: str
    scope: EvaluationScope
    score_hundredths: int
    standard_source: str
    standard_version: str
    def __init__(self, scope: _Optional[_Union[EvaluationScope, _Mapping]] = ..., period: _Optional[str] = ..., standard_version: _Optional[str] = ..., score_hundredths: _Optional[int] = ..., grade: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorResult, _Mapping]]] = ..., as_of_date: _Optional[str] = ..., published: bool = ..., published_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., published_by: _Optional[str] = ..., standard_source: _Optional[str] = ...) -> None: ...

class EvaluationScope(_message.Message):
    __slots__ = ["division_code", "government_body_code"]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    GOVERNMENT_BODY_CODE_FIELD_NUMBER: _ClassVar[int]
    division_code: str
    government_body_code: str
    def __init__(self, division_code: _Optional[str] = ..., government_body_code: _Optional[str] = ...) -> None: ...

class GradeBand(_message.Message):
    __slots__ = ["grade", "minimum_hundredths"]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_HUNDREDTHS_FIELD_NUMBER: _ClassVar[int]
    grade: str
    minimum_hundredths: int
    def __init__(self, grade: _Optional[str] = ..., minimum_hundredths: _Optional[int] = ...) -> None: ...

class IndicatorDefinition(_message.Message):
    __slots__ = ["categories", "code", "kind", "name", "severities", "threshold", "weight"]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEVERITIES_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[_records_pb2.Category]
    code: str
    kind: IndicatorKind
    name: str
    severities: _containers.RepeatedScalarFieldContainer[_records_pb2.Severity]
    threshold: int
    weight: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[IndicatorKind, str]] = ..., weight: _Optional[int] = ..., threshold: _Optional[int] = ..., categories: _Optional[_Iterable[_Union[_records_pb2.Category, str]]] = ..., severities: _Optional[_Iterable[_Union[_records_pb2.Severity, str]]] = ...) -> None: ...

class IndicatorResult(_message.Message):
    __slots__ = ["code", "name", "points_hundredths", "record_ids", "threshold", "value", "weight"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_HUNDREDTHS_FIELD_NUMBER: _ClassVar[int]
    RECORD_IDS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    points_hundredths: int
    record_ids: _containers.RepeatedScalarFieldContainer[str]
    threshold: int
    value: int
    weight: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., value: _Optional[int] = ..., weight: _Optional[int] = ..., threshold: _Optional[int] = ..., points_hundredths: _Optional[int] = ..., record_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class IntegrityStandard(_message.Message):
    __slots__ = ["government_body_warning", "grades", "indicators", "latest", "period_kind", "region_warning", "source", "version"]
    GOVERNMENT_BODY_WARNING_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    LATEST_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    REGION_WARNING_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    government_body_warning: WarningThresholds
    grades: _containers.RepeatedCompositeFieldContainer[GradeBand]
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorDefinition]
    latest: bool
    period_kind: PeriodKind
    region_warning: WarningThresholds
    source: str
    version: str
    def __init__(self, version: _Optional[str] = ..., source: _Optional[str] = ..., period_kind: _Optional[_Union[PeriodKind, str]] = ..., indicators: _Optional[_Iterable[_Union[IndicatorDefinition, _Mapping]]] = ..., grades: _Optional[_Iterable[_Union[GradeBand, _Mapping]]] = ..., region_warning: _Optional[_Union[WarningThresholds, _Mapping]] = ..., government_body_warning: _Optional[_Union[WarningThresholds, _Mapping]] = ..., latest: bool = ...) -> None: ...

class ListIntegrityStandardsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListIntegrityStandardsResponse(_message.Message):
    __slots__ = ["standards"]
    STANDARDS_FIELD_NUMBER: _ClassVar[int]
    standards: _containers.RepeatedCompositeFieldContainer[IntegrityStandard]
    def __init__(self, standards: _Optional[_Iterable[_Union[IntegrityStandard, _Mapping]]] = ...) -> None: ...

class PublishEvaluationRequest(_message.Message):
    __slots__ = ["period", "scope", "standard_version"]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    period: str
    scope: EvaluationScope
    standard_version: str
    def __init__(self, scope: _Optional[_Union[EvaluationScope, _Mapping]] = ..., period: _Optional[str] = ..., standard_version: _Optional[str] = ...) -> None: ...

class PublishEvaluationResponse(_message.Message):
    __slots__ = ["evaluation", "newly_published"]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    NEWLY_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    evaluation: Evaluation
    newly_published: bool
    def __init__(self, evaluation: _Optional[_Union[Evaluation, _Mapping]] = ..., newly_published: bool = ...) -> None: ...

class RankRegionsRequest(_message.Message):
    __slots__ = ["parent_division_code", "period", "standard_version"]
    PARENT_DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    parent_division_code: str
    period: str
    standard_version: str
    def __init__(self, parent_division_code: _Optional[str] = ..., period: _Optional[str] = ..., standard_version: _Optional[str] = ...) -> None: ...

class RankRegionsResponse(_message.Message):
    __slots__ = ["regions", "standard_version"]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[RankedRegion]
    standard_version: str
    def __init__(self, regions: _Optional[_Iterable[_Union[RankedRegion, _Mapping]]] = ..., standard_version: _Optional[str] = ...) -> None: ...

class RankedRegion(_message.Message):
    __slots__ = ["division_code", "grade", "published", "rank", "score_hundredths"]
    DIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    SCORE_HUNDREDTHS_FIELD_NUMBER: _ClassVar[int]
    division_code: str
    grade: str
    published: bool
    rank: int
    score_hundredths: int
    def __init__(self, rank: _Optional[int] = ..., division_code: _Optional[str] = ..., score_hundredths: _Optional[int] = ..., grade: _Optional[str] = ..., published: bool = ...) -> None: ...

class WarningThresholds(_message.Message):
    __slots__ = ["arrears_fen", "record_count", "serious_count"]
    ARREARS_FEN_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    SERIOUS_COUNT_FIELD_NUMBER: _ClassVar[int]
    arrears_fen: int
    record_count: int
    serious_count: int
    def __init__(self, record_count: _Optional[int] = ..., serious_count: _Optional[int] = ..., arrears_fen: _Optional[int] = ...) -> None: ...

class IndicatorKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PeriodKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
