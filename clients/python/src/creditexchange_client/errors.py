"""Typed refusals: the hub's google.rpc details decoded from the grpc-status-details-bin trailer."""

from typing import List, Optional

import grpc

from creditexchange.errors.v1 import errors_pb2
from google.rpc import error_details_pb2, status_pb2

ErrorReason = errors_pb2.ErrorReason
PREFIX = "ERROR_REASON_"


def parse_error_reason(wire_name: Optional[str]) -> int:
    """The ErrorReason value a wire name (ErrorInfo.reason, ItemError.reason) stands for; UNSPECIFIED when unknown."""
    if not wire_name:
        return errors_pb2.ERROR_REASON_UNSPECIFIED
    try:
        return ErrorReason.Value(PREFIX + wire_name)
    except ValueError:
        return errors_pb2.ERROR_REASON_UNSPECIFIED


def error_reason_name(reason: int) -> str:
    """The name the hub sends for a reason, e.g. "RECORD_NOT_FOUND"."""
    return ErrorReason.Name(reason)[len(PREFIX):]


class CreditExchangeError(grpc.RpcError):
    """A call the hub refused, with its details decoded. It is a grpc.RpcError with code() and details()."""

    def __init__(self, error: grpc.RpcError):
        super().__init__(error.details() if hasattr(error, "details") else str(error))
        self._code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        self._details = error.details() if hasattr(error, "details") else str(error)
        self._trailers = tuple(error.trailing_metadata() or ()) if hasattr(error, "trailing_metadata") else ()
        status = status_pb2.Status()
        for key, value in self._trailers:
            if key == "grpc-status-details-bin":
                status.ParseFromString(value)
        self.reason_name: Optional[str] = None
        self.domain: Optional[str] = None
        self.field_violations: List[error_details_pb2.BadRequest.FieldViolation] = []
        self.retry_delay_seconds: Optional[float] = None
        self.localized_message: Optional[str] = None
        self.locale: Optional[str] = None
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                self.reason_name, self.domain = info.reason, info.domain
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                self.field_violations.extend(bad.field_violations)
            elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                retry = error_details_pb2.RetryInfo()
                detail.Unpack(retry)
                self.retry_delay_seconds = retry.retry_delay.ToTimedelta().total_seconds()
            elif detail.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
                localized = error_details_pb2.LocalizedMessage()
                detail.Unpack(localized)
                self.localized_message, self.locale = localized.message, localized.locale
        #: The ErrorReason value; ERROR_REASON_UNSPECIFIED when none was sent or it is unknown (see reason_name).
        self.reason: int = parse_error_reason(self.reason_name)

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self):
        return self._trailers

    def __str__(self) -> str:
        return f"{self._code.name} {self.reason_name or ''}: {self._details}"
