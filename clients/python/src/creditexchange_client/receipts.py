"""Offline verification of the hub's signed receipts (ECDSA P-256, SHA-256, IEEE P1363 signature)."""

import hashlib
from typing import Iterable, Optional

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from google.protobuf.message import DecodeError

from creditexchange.receipts.v1 import receipts_pb2

ALGORITHM = "ECDSA_P256_SHA256"


class ReceiptVerificationError(Exception):
    """A receipt failed verification."""


def verify_receipt(receipt, keys: Iterable) -> Optional["receipts_pb2.ReceiptPayload"]:
    """The receipt's payload when its signature verifies under the published key it names, else None."""
    key = next((k for k in keys if k.key_id == receipt.key_id and k.algorithm == ALGORITHM), None)
    if key is None or len(receipt.signature) != 64:
        return None
    try:
        public_key = serialization.load_der_public_key(key.public_key_spki)
        r, s = int.from_bytes(receipt.signature[:32], "big"), int.from_bytes(receipt.signature[32:], "big")
        public_key.verify(encode_dss_signature(r, s), receipt.signed_payload, ec.ECDSA(hashes.SHA256()))
        payload = receipts_pb2.ReceiptPayload.FromString(receipt.signed_payload)
    except (InvalidSignature, ValueError, DecodeError):
        return None
    return payload if payload.key_id == receipt.key_id else None


def content_sha256(content) -> str:
    """SHA-256 (lower-case hex) of the serialized RecordContent: what a receipt's content_sha256 names."""
    return hashlib.sha256(content.SerializeToString(deterministic=True)).hexdigest()


def receipt_covers(payload, content) -> bool:
    """Whether a verified receipt is for exactly this content (as the hub accepted it)."""
    return payload.content_sha256 == content_sha256(content)
