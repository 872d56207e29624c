"""One agency's connection to the hub: gRPC over mutual TLS with the hub's CA pinned."""

import collections
import importlib
import json
import os
import time
import urllib.parse
from typing import Iterable, List, Optional, Sequence

import grpc

from creditexchange.admin.v1 import admin_pb2_grpc
from creditexchange.api.v1 import policy_pb2
from creditexchange.appraisal.v1 import appraisal_pb2_grpc
from creditexchange.audit.v1 import audit_pb2_grpc
from creditexchange.creditfile.v1 import credit_file_pb2_grpc
from creditexchange.errors.v1 import errors_pb2
from creditexchange.feed.v1 import feed_pb2_grpc
from creditexchange.lifecycle.v1 import lifecycle_pb2_grpc
from creditexchange.publication.v1 import publication_pb2_grpc
from creditexchange.receipts.v1 import receipts_pb2, receipts_pb2_grpc
from creditexchange.evidence.v1 import evidence_pb2_grpc
from creditexchange.records.v1 import records_pb2, records_pb2_grpc
from creditexchange.statistics.v1 import statistics_pb2_grpc
from creditexchange.evaluation.v1 import evaluation_pb2_grpc
from creditexchange.bidding.v1 import bidding_pb2_grpc

from .errors import CreditExchangeError
from .feed import FeedFollower
from .receipts import ReceiptVerificationError, receipt_covers, verify_receipt
from .signing import RequestSigner, signature_field
from .tokens import TokenSource


def _contract_services():
    """The services of every generated creditexchange file (``_gen/creditexchange/**/*_pb2.py``), by full name."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_gen")
    modules = []
    for folder, _, files in os.walk(os.path.join(root, "creditexchange")):
        modules += [os.path.relpath(os.path.join(folder, f[:-3]), root).replace(os.sep, ".") for f in files if f.endswith("_pb2.py")]
    services = [s for m in modules for s in importlib.import_module(m).DESCRIPTOR.services_by_name.values()]
    return sorted(services, key=lambda s: s.full_name)


def _declared_idempotent(method) -> bool:
    """Whether the method's ``option (creditexchange.api.v1.policy)`` sets ``idempotent: true``."""
    return method.GetOptions().Extensions[policy_pb2.policy].idempotent


_SERVICES = _contract_services()
#: Every idempotent method of the contract as (full service name, method name), e.g.
#: ("creditexchange.records.v1.RecordService", "SubmitRecord"): exactly the RPCs whose policy option
#: (protos/creditexchange/api/v1/policy.proto) sets ``idempotent: true`` (submissions, idempotent on
#: source_record_id, the reads and feed acknowledgements), read from the generated descriptors.
IDEMPOTENT_METHODS = tuple((s.full_name, m.name) for s in _SERVICES for m in s.methods if _declared_idempotent(m))
#: Services whose every method is idempotent (derived from the policy option; IDEMPOTENT_METHODS lists their methods too).
IDEMPOTENT_SERVICES = tuple(s.full_name for s in _SERVICES if s.methods and all(_declared_idempotent(m) for m in s.methods))
#: The idempotent methods whose requests the agency signs: retried by the client's interceptor, each attempt
#: signed anew (the hub refuses a nonce it has seen), not by the channel, which would resend the same bytes.
SIGNED_RETRIED_METHODS = frozenset((s.full_name, m.name) for s in _SERVICES for m in s.methods
                                   if _declared_idempotent(m) and signature_field(m.input_type) is not None)


#: The retry waits: 0.2 s before the second attempt, doubling up to 5 s (the channel's policy and the client's own retries).
_INITIAL_BACKOFF = 0.2
_MAX_BACKOFF = 5
_BACKOFF_MULTIPLIER = 2


def service_config(max_attempts: int) -> str:
    """The gRPC service config: UNAVAILABLE and RESOURCE_EXHAUSTED retried on the IDEMPOTENT_METHODS, waiting
    the hub's grpc-retry-pushback-ms (the RetryInfo delay of a rate-limit refusal) when it sends one."""
    config = {"name": [{"service": s, "method": m} for s, m in IDEMPOTENT_METHODS if (s, m) not in SIGNED_RETRIED_METHODS]}
    if max_attempts > 1:
        config["retryPolicy"] = {
            "maxAttempts": max_attempts, "initialBackoff": f"{_INITIAL_BACKOFF}s", "maxBackoff": f"{_MAX_BACKOFF}s",
            "backoffMultiplier": _BACKOFF_MULTIPLIER,
            "retryableStatusCodes": ["UNAVAILABLE", "RESOURCE_EXHAUSTED"],
        }
    return json.dumps({"methodConfig": [config]})


class _CallDetails(collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
                   grpc.ClientCallDetails):
    pass


class _HubInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.StreamUnaryClientInterceptor):
    """Default deadlines, accept-language, agency signatures on write requests (retried here, signed anew per
    attempt), and CreditExchangeError for refusals (after the retries)."""

    def __init__(self, default_timeout: float, tokens: TokenSource, accept_language: Optional[str],
                 signer: RequestSigner, max_attempts: int):
        self._default_timeout = default_timeout
        self._tokens = tokens
        self._accept_language = accept_language
        self._signer = signer
        self._max_attempts = max_attempts

    def _details(self, details):
        metadata = list(details.metadata or [])
        if self._accept_language:
            metadata.append(("accept-language", self._accept_language))
        timeout = details.timeout if details.timeout is not None else self._default_timeout
        return _CallDetails(details.method, timeout, metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def _checked(self, call):
        error = call.exception()
        if error is not None:
            refusal = CreditExchangeError(error)
            if refusal.reason == errors_pb2.ERROR_REASON_TOKEN_INVALID:
                self._tokens.invalidate()
            raise refusal
        return call

    def intercept_unary_unary(self, continuation, client_call_details, request):
        details = self._details(client_call_details)
        method = _method_name(details.method)
        if signature_field(request.DESCRIPTOR) is None:
            return self._checked(continuation(details, request))
        service, _, name = method.lstrip("/").partition("/")
        attempts = self._max_attempts if (service, name) in SIGNED_RETRIED_METHODS else 1
        for attempt in range(1, attempts + 1):
            call = continuation(details, self._signer.sign(method, request))
            error = call.exception()
            if error is None or attempt == attempts or error.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED):
                return self._checked(call)
            time.sleep(_backoff(attempt, _pushback(call)))
        return self._checked(call)

    def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        details = self._details(client_call_details)
        method = _method_name(details.method)
        signed = (self._signer.sign(method, item) for item in request_iterator)
        return self._checked(continuation(details, signed))


def _method_name(method) -> str:
    return method.decode() if isinstance(method, bytes) else method


def _backoff(attempt: int, pushback: Optional[float] = None) -> float:
    """The hub's pushback (its RetryInfo delay) when it sends one, else 0.2 s doubling up to 5 s, as the channel's
    retry policy (service_config) waits."""
    return pushback if pushback is not None else min(_MAX_BACKOFF, _INITIAL_BACKOFF * _BACKOFF_MULTIPLIER ** (attempt - 1))


def _pushback(call) -> Optional[float]:
    """The hub's grpc-retry-pushback-ms trailer, in seconds; None without one."""
    for key, value in call.trailing_metadata() or ():
        if key == "grpc-retry-pushback-ms" and str(value).isdigit():
            return int(value) / 1000
    return None


class _BearerToken(grpc.AuthMetadataPlugin):
    def __init__(self, tokens: TokenSource):
        self._tokens = tokens

    def __call__(self, context, callback):
        try:
            callback((("authorization", "Bearer " + self._tokens.get_token()),), None)
        except Exception as e:  # reported to the call as UNAVAILABLE by grpc
            callback((), e)


class HubClient:
    """Stubs of every service on one channel, plus the batch and receipt helpers. Use as a context manager."""

    def __init__(self, base_url: str, agency_id: str, cert_file: str, key_file: str, ca_file: str,
                 scopes: Sequence[str] = (), default_timeout: float = 30.0, max_attempts: int = 4,
                 max_batch_items: int = 1000, max_batch_bytes: int = 60 * 1024 * 1024,
                 accept_language: Optional[str] = None, keepalive_time: float = 30.0, keepalive_timeout: float = 15.0):
        self.tokens = TokenSource(base_url, agency_id, cert_file, key_file, ca_file, scopes)
        with open(ca_file, "rb") as f:
            ca = f.read()
        with open(cert_file, "rb") as f:
            cert = f.read()
        with open(key_file, "rb") as f:
            key = f.read()
        # root_certificates: the hub's CA alone is trusted for the hub's certificate.
        credentials = grpc.composite_channel_credentials(
            grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert),
            grpc.metadata_call_credentials(_BearerToken(self.tokens)))
        url = urllib.parse.urlsplit(base_url)
        self._channel = grpc.secure_channel(f"{url.hostname}:{url.port or 443}", credentials, options=[
            ("grpc.enable_retries", 1),
            ("grpc.service_config", service_config(max_attempts)),
            ("grpc.max_receive_message_length", 64 * 1024 * 1024),
            # HTTP/2 keep-alive while a call is open (feed streams run for days): a dead network path is noticed.
            ("grpc.keepalive_time_ms", int(keepalive_time * 1000)),
            ("grpc.keepalive_timeout_ms", int(keepalive_timeout * 1000)),
            ("grpc.http2.max_pings_without_data", 0),
            ("grpc.http2.min_time_between_pings_ms", int(keepalive_time * 1000)),
            # After an outage, try the hub again within 10 s (grpc's own default grows to 120 s).
            ("grpc.max_reconnect_backoff_ms", 10_000),
        ])
        channel = grpc.intercept_channel(self._channel, _HubInterceptor(
            default_timeout, self.tokens, accept_language, RequestSigner(key, agency_id), max_attempts))
        self.records = records_pb2_grpc.RecordServiceStub(channel)
        self.lifecycle = lifecycle_pb2_grpc.LifecycleServiceStub(channel)
        self.appraisal = appraisal_pb2_grpc.AppraisalServiceStub(channel)
        self.credit_files = credit_file_pb2_grpc.CreditFileServiceStub(channel)
        self.statistics = statistics_pb2_grpc.StatisticsServiceStub(channel)
        self.evaluation = evaluation_pb2_grpc.EvaluationServiceStub(channel)
        self.bidding = bidding_pb2_grpc.BiddingBlacklistServiceStub(channel)
        self.audit = audit_pb2_grpc.AuditServiceStub(channel)
        self.admin = admin_pb2_grpc.AdminServiceStub(channel)
        self.receipts = receipts_pb2_grpc.ReceiptServiceStub(channel)
        self.evidence = evidence_pb2_grpc.EvidenceServiceStub(channel)
        self.feed = feed_pb2_grpc.FeedServiceStub(channel)
        self.publication = publication_pb2_grpc.PublicationServiceStub(channel)
        self._max_batch_items = max_batch_items
        self._max_attempts = max(1, max_attempts)
        self._max_batch_bytes = max_batch_bytes
        self._receipt_keys: Optional[list] = None

    def submit_batch(self, items: Iterable) -> List:
        """Submits any number of SubmitRecordRequest in SubmitRecords streams the hub accepts; answers one
        SubmitRecordsResult per item, in order, with ``index`` counted over the whole input."""
        results = []
        for batch in split_batches(list(items), self._max_batch_items, self._max_batch_bytes):
            response = self._submit_stream(batch)
            offset = len(results)
            for result in response.results:
                result.index += offset
                results.append(result)
        return results

    def _submit_stream(self, batch):
        """One SubmitRecords stream, retried whole after UNAVAILABLE or RESOURCE_EXHAUSTED (its items signed anew;
        items accepted by an earlier attempt answer as duplicates)."""
        for attempt in range(1, self._max_attempts + 1):
            try:
                return self.records.SubmitRecords(records_pb2.SubmitRecordsRequest(item=item) for item in batch)
            except CreditExchangeError as e:
                if attempt == self._max_attempts or e.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED):
                    raise
                time.sleep(_backoff(attempt, e.retry_delay_seconds))

    def follow_feed(self, request, **options) -> FeedFollower:
        """A follower of the joint-punishment feed from the first stream's SubscribeRequest (filters, a named
        ``subscription``, a start): it reconnects, resumes, refreshes the token and acknowledges by itself.
        Options as FeedFollower's (acknowledge_every, acknowledge_interval, stall_timeout, on_reconnect, ...)."""
        return FeedFollower(self.feed, request, tokens=self.tokens, **options)

    def verify_receipt(self, receipt, content=None):
        """Verifies a receipt against the hub's published keys and, when given, that it covers exactly
        ``content``; answers the signed ReceiptPayload or raises ReceiptVerificationError."""
        if self._receipt_keys is None or all(k.key_id != receipt.key_id for k in self._receipt_keys):
            self._receipt_keys = list(self.receipts.GetReceiptKeys(receipts_pb2.GetReceiptKeysRequest()).keys)
        payload = verify_receipt(receipt, self._receipt_keys)
        if payload is None:
            raise ReceiptVerificationError("The receipt's signature does not verify under the hub's published keys.")
        if content is not None and not receipt_covers(payload, content):
            raise ReceiptVerificationError("The receipt is for other content than the record given.")
        return payload

    def close(self) -> None:
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(base_url: str, agency_id: str, cert_file: str, key_file: str, ca_file: str, **options) -> HubClient:
    """Connects an agency system to the hub with its PEM certificate and key and the hub's PEM CA certificate."""
    return HubClient(base_url, agency_id, cert_file, key_file, ca_file, **options)


def split_batches(items: list, max_items: int, max_bytes: int) -> List[list]:
    """Consecutive groups of at most max_items items and max_bytes encoded bytes, in order."""
    batches, batch, size = [], [], 0
    for item in items:
        item_size = item.ByteSize() + 16
        if batch and (len(batch) == max_items or size + item_size > max_bytes):
            batches.append(batch)
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        batches.append(batch)
    return batches
