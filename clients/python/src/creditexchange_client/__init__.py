"""Client SDK for the CreditExchange hub.

The generated stubs live in ``creditexchange_client/_gen`` and import each other as top-level
packages (``creditexchange.records.v1``, ``buf.validate``, ``google.rpc``), as protoc writes them;
importing this package puts that folder on ``sys.path``.
"""

import os as _os
import sys as _sys

_GEN = _os.path.join(_os.path.dirname(__file__), "_gen")
if _GEN not in _sys.path:
    _sys.path.append(_GEN)

from .errors import CreditExchangeError, ErrorReason, error_reason_name, parse_error_reason  # noqa: E402
from .receipts import ReceiptVerificationError, content_sha256, receipt_covers, verify_receipt  # noqa: E402
from .tokens import TokenRequestError, TokenSource  # noqa: E402
from .feed import FeedFollower, FeedReconnect, FeedStalledError  # noqa: E402
from .signing import RequestSigner, signature_field, signing_input_bytes  # noqa: E402
from .client import HubClient, connect, split_batches  # noqa: E402
from .evidence import EvidenceResult, verify_evidence_bundle  # noqa: E402

__all__ = [
    "CreditExchangeError", "ErrorReason", "error_reason_name", "parse_error_reason",
    "ReceiptVerificationError", "content_sha256", "receipt_covers", "verify_receipt",
    "TokenRequestError", "TokenSource", "HubClient", "connect", "split_batches",
    "FeedFollower", "FeedReconnect", "FeedStalledError",
    "RequestSigner", "signature_field", "signing_input_bytes",
    "EvidenceResult", "verify_evidence_bundle",
]
