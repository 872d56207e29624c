"""Agency signatures over write requests (creditexchange.api.v1.RequestSignature).

Every write request (and each SubmitRecords item) has a ``signature`` field of that type: the contract says
which, never a list here. The client signs the SigningInput bytes with the private key of the agency's
mutual-TLS certificate; the hub verifies them against the certificate of the connection.
"""

import datetime
import os
from typing import Callable, Optional

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from google.protobuf import timestamp_pb2

from creditexchange.api.v1 import signing_pb2

_SIGNATURE_TYPE = signing_pb2.RequestSignature.DESCRIPTOR.full_name


def signature_field(descriptor) -> Optional[str]:
    """The name of the message's RequestSignature field, or None for a message the contract does not sign."""
    for field in descriptor.fields:
        if field.message_type is not None and field.message_type.full_name == _SIGNATURE_TYPE:
            return field.name
    return None


def signing_input_bytes(method: str, agency_id: str, message, signed_at: timestamp_pb2.Timestamp, nonce: bytes) -> bytes:
    """The bytes an agency signs (SigningInput) for ``message`` sent on ``method`` (the full gRPC method, e.g.
    "/creditexchange.records.v1.RecordService/SubmitRecord"): the request serialized without its signature
    field. The hub and the other SDKs build the same bytes."""
    unsigned = type(message)()
    unsigned.CopyFrom(message)
    name = signature_field(message.DESCRIPTOR)
    if name is not None:
        unsigned.ClearField(name)
    return signing_pb2.SigningInput(
        method=method, agency_id=agency_id, signed_at=signed_at, nonce=nonce,
        request=unsigned.SerializeToString(deterministic=True),
    ).SerializeToString(deterministic=True)


class RequestSigner:
    """Signs write requests with the agency's certificate key (ECDSA: DER; RSA: PKCS#1 v1.5; SHA-256)."""

    def __init__(self, private_key_pem: bytes, agency_id: str, now: Callable[[], datetime.datetime] = None):
        self._key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(self._key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
            raise ValueError("The client certificate's key is neither ECDSA nor RSA: it cannot sign requests.")
        self._agency_id = agency_id
        self._now = now or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def sign(self, method: str, message):
        """A copy of ``message`` signed now with a fresh nonce; ``message`` itself when the contract does not sign it."""
        name = signature_field(message.DESCRIPTOR)
        if name is None:
            return message
        signed_at = timestamp_pb2.Timestamp()
        signed_at.FromDatetime(self._now())
        nonce = os.urandom(16)
        data = signing_input_bytes(method, self._agency_id, message, signed_at, nonce)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            signature = self._key.sign(data, ec.ECDSA(hashes.SHA256()))
        else:
            signature = self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        signed = type(message)()
        signed.CopyFrom(message)
        getattr(signed, name).CopyFrom(signing_pb2.RequestSignature(signed_at=signed_at, nonce=nonce, signature=signature))
        return signed
