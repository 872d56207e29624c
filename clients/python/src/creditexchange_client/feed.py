"""Follows the joint-punishment feed (FeedService.Subscribe) for as long as it runs.

Each event reaches the handler once, in feed order. On a stream end or a transient failure (UNAVAILABLE, a
reset, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED such as FEED_SUBSCRIBER_TOO_SLOW, a stream gone silent) the follower
reconnects with backoff and resumes after the last event the handler completed, or further when a heartbeat said
the stream had evaluated further (filtered streams). Every stream starts with a valid token. A named subscription
is acknowledged after the handler completed events (batched), so a restarted system continues after its
acknowledged sequence: at least once, never skipping, and no event twice within one follower. Refusals no retry
can cure (bad request, scope, certificate, suspended agency, a start beyond the head) and handler exceptions end
``run()`` with that exception.
"""

import http.client
import random
import threading
import time
from typing import Callable, NamedTuple, Optional

import grpc

from creditexchange.errors.v1 import errors_pb2
from creditexchange.feed.v1 import feed_pb2

from .errors import CreditExchangeError
from .tokens import TokenRequestError, TokenSource

_FATAL = frozenset({
    grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.OUT_OF_RANGE, grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.UNIMPLEMENTED,
})


class FeedStalledError(Exception):
    """The stream sent nothing, not even a heartbeat, for longer than the stall timeout; the follower reconnects."""


class FeedReconnect(NamedTuple):
    """Why the follower reconnects; ``error`` is None when the hub ended the stream cleanly (an instance stopping)."""
    error: Optional[BaseException]
    #: Consecutive failures (1 after a stream that delivered something).
    attempt: int
    delay_seconds: float
    #: The sequence the next stream resumes after; None: the subscription's acknowledged one.
    resume_after: Optional[int]


class FeedFollower:
    """A follower of one feed subscription. ``run(handler)`` blocks; ``stop()`` (from any thread) ends it.

    Options: ``auto_acknowledge`` (named subscriptions, default True), ``acknowledge_every`` events (100) or
    ``acknowledge_interval`` seconds (5; every heartbeat acknowledges too), ``initial_backoff``/``max_backoff``
    seconds (0.5/30, with jitter; a RetryInfo delay wins), ``stall_timeout`` seconds (default three heartbeat
    intervals, at least 5; handler time does not count), ``on_reconnect`` (called with a FeedReconnect).
    """

    def __init__(self, feed_stub, request, tokens: Optional[TokenSource] = None, auto_acknowledge: bool = True,
                 acknowledge_every: int = 100, acknowledge_interval: float = 5.0, initial_backoff: float = 0.5,
                 max_backoff: float = 30.0, stall_timeout: Optional[float] = None,
                 on_reconnect: Optional[Callable[[FeedReconnect], None]] = None):
        if acknowledge_every < 1:
            raise ValueError("acknowledge_every must be at least 1")
        self._feed = feed_stub
        self._request = feed_pb2.SubscribeRequest()
        self._request.CopyFrom(request)  # a copy: later streams change their start, never the caller's request
        self._tokens = tokens
        self._auto_acknowledge = auto_acknowledge
        self._acknowledge_every = acknowledge_every
        self._acknowledge_interval = acknowledge_interval
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._stall_timeout = stall_timeout
        self._on_reconnect = on_reconnect
        #: The sequence the next stream resumes after (None until the hub told where the first stream started).
        self.position: Optional[int] = request.after_sequence if request.WhichOneof("start") == "after_sequence" else None
        #: The last event the handler completed (0 before the first).
        self.last_handled_sequence = 0
        #: The named subscription's acknowledged sequence as the hub last answered.
        self.acknowledged_sequence: Optional[int] = None
        #: New streams opened after the first.
        self.reconnects = 0
        #: Events dropped because the handler had already completed them.
        self.duplicates_dropped = 0
        self._pending = 0
        self._last_acknowledged_at = time.monotonic()
        self._delivered = False
        self._stopped = threading.Event()
        self._call = None
        self._running = False

    def run(self, handler: Callable) -> None:
        """Follows the feed, calling ``handler(event)`` (a FeedEvent; switch on ``event.action``, a PunishmentAction)
        for each event, until ``stop()`` (then returns, after acknowledging what the handler completed), a refusal
        no retry can cure (raises CreditExchangeError or TokenRequestError) or a handler exception (raised as is)."""
        if self._running:
            raise RuntimeError("This follower is already running.")
        self._running = True
        self._stopped.clear()
        try:
            attempt, previous = 0, None
            while not self._stopped.is_set():
                error = handler_error = None
                try:
                    self._follow_one_stream(handler)
                except _HandlerFailure as failure:
                    handler_error = failure.original
                except Exception as e:  # noqa: BLE001 - sorted into transient and not just below
                    if self._stopped.is_set():
                        return
                    if not self._is_transient(e, previous):
                        if isinstance(e, grpc.RpcError) and not isinstance(e, CreditExchangeError):
                            raise CreditExchangeError(e) from None
                        raise
                    error = CreditExchangeError(e) if isinstance(e, grpc.RpcError) and not isinstance(e, CreditExchangeError) else e
                if handler_error is not None:
                    raise handler_error
                attempt = 1 if self._delivered else attempt + 1
                previous = error
                delay = self._backoff(attempt, error)
                if self._on_reconnect is not None:
                    self._on_reconnect(FeedReconnect(error, attempt, delay, self.position))
                if self._stopped.wait(delay):
                    return
                self.reconnects += 1
        finally:
            self._flush()
            self._running = False

    def stop(self) -> None:
        """Stops a running follower (from any thread, or from the handler); ``run()`` then returns."""
        self._stopped.set()
        call = self._call
        if call is not None:
            call.cancel()

    def acknowledge(self) -> Optional[int]:
        """Acknowledges the named subscription up to ``position`` now; needed only with auto_acknowledge off."""
        if not self._request.subscription:
            raise RuntimeError("Only a named subscription (SubscribeRequest.subscription) is acknowledged.")
        if self.position is not None:
            self._acknowledge_at(self.position)
        return self.acknowledged_sequence

    def _follow_one_stream(self, handler) -> None:
        self._delivered = False
        if self._tokens is not None:
            self._tokens.get_token()  # a valid token for every stream; refusals surface as TokenRequestError
        request = feed_pb2.SubscribeRequest()
        request.CopyFrom(self._request)
        if self.position is not None:
            request.after_sequence = self.position
        call = self._feed.Subscribe(request)  # no timeout: the stream runs for days
        self._call = call
        if self._stopped.is_set():
            call.cancel()
        watchdog = _Watchdog(call, self._stall_timeout_seconds())
        try:
            while True:
                watchdog.waiting()
                try:
                    message = next(call)
                except StopIteration:
                    return  # the hub ended the stream: resume
                except grpc.RpcError as e:
                    if watchdog.fired and not self._stopped.is_set():
                        raise FeedStalledError(f"The feed sent nothing for {watchdog.timeout:g} s.") from e
                    raise
                finally:
                    watchdog.busy()
                self._delivered = True
                kind = message.WhichOneof("item")
                if kind == "event":
                    self._deliver(message.event, handler)
                elif kind == "heartbeat":
                    self._advance(message.heartbeat.resume_after_sequence)
                    self._acknowledge_if_due(heartbeat=True)
        finally:
            watchdog.close()
            self._call = None
            call.cancel()

    def _deliver(self, event, handler) -> None:
        if event.sequence <= self.last_handled_sequence:
            self.duplicates_dropped += 1
            return
        try:
            handler(event)
        except Exception as e:
            raise _HandlerFailure(e) from e
        self.last_handled_sequence = event.sequence
        self._advance(event.sequence)
        self._pending += 1
        self._acknowledge_if_due(heartbeat=False)

    def _advance(self, sequence: int) -> None:
        if self.position is None or sequence > self.position:
            self.position = sequence

    def _needs_acknowledgement(self) -> bool:
        return (bool(self._request.subscription) and self._auto_acknowledge and self.position is not None
                and (self.acknowledged_sequence is None or self.position > self.acknowledged_sequence))

    def _acknowledge_if_due(self, heartbeat: bool) -> None:
        if not self._needs_acknowledgement() or self._stopped.is_set():
            return
        due = (heartbeat or self._pending >= self._acknowledge_every
               or time.monotonic() - self._last_acknowledged_at >= self._acknowledge_interval)
        if not due:
            return
        try:
            self._acknowledge_at(self.position)
        except Exception as e:  # noqa: BLE001
            if not self._is_transient(e, None):
                raise
            # Idempotent and never moving back: the next trigger sends the newer position.
            self._last_acknowledged_at = time.monotonic()

    def _acknowledge_at(self, sequence: int) -> None:
        answer = self._feed.AcknowledgeEvents(
            feed_pb2.AcknowledgeEventsRequest(subscription=self._request.subscription, sequence=sequence), timeout=10)
        if self.acknowledged_sequence is None or answer.acknowledged_sequence > self.acknowledged_sequence:
            self.acknowledged_sequence = answer.acknowledged_sequence
        self._pending = 0
        self._last_acknowledged_at = time.monotonic()

    def _flush(self) -> None:
        """On the way out: acknowledge what the handler completed (best effort: delivery is at least once anyway)."""
        if not self._needs_acknowledgement():
            return
        try:
            self._acknowledge_at(self.position)
        except (grpc.RpcError, TokenRequestError, OSError):
            pass  # the next follower starts from the older acknowledgement and drops nothing

    def _stall_timeout_seconds(self) -> float:
        if self._stall_timeout is not None:
            return self._stall_timeout
        heartbeat = self._request.heartbeat_seconds or 15
        return max(5.0, 3.0 * heartbeat)

    def _backoff(self, attempt: int, error) -> float:
        ceiling = min(self._max_backoff, self._initial_backoff * 2 ** min(attempt - 1, 30))
        delay = ceiling / 2 + random.random() * ceiling / 2
        asked = CreditExchangeError(error).retry_delay_seconds if isinstance(error, grpc.RpcError) else None
        return asked if asked is not None and asked > delay else delay

    def _is_transient(self, e: BaseException, previous: Optional[BaseException]) -> bool:
        """Whether a reconnect may cure the failure: not for refusals of the request, scope, certificate or agency."""
        if isinstance(e, FeedStalledError):
            return True
        if isinstance(e, TokenRequestError):
            return e.error.startswith("http_5")
        if isinstance(e, grpc.RpcError):
            refusal = CreditExchangeError(e)
            if refusal.code() in _FATAL:
                return False
            if refusal.code() == grpc.StatusCode.UNAUTHENTICATED:
                # An expired or unreadable token: once, with a fresh one. A certificate or suspension is not cured by waiting.
                if refusal.reason != errors_pb2.ERROR_REASON_TOKEN_INVALID:
                    return False
                if self._tokens is not None:
                    self._tokens.invalidate()
                return not (isinstance(previous, grpc.RpcError)
                            and CreditExchangeError(previous).reason == errors_pb2.ERROR_REASON_TOKEN_INVALID)
            return True  # UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, a reset (CANCELLED, INTERNAL), ...
        # Network errors of the token request (refused, reset, TLS, timeout).
        return isinstance(e, (OSError, http.client.HTTPException))


class _HandlerFailure(Exception):
    """Carries a handler's exception past the transient-failure check."""

    def __init__(self, original: BaseException):
        super().__init__(str(original))
        self.original = original


class _Watchdog:
    """Cancels the call when it has been waiting for a message longer than the timeout (handler time excluded)."""

    def __init__(self, call, timeout: float):
        self.timeout = timeout
        self.fired = False
        self._call = call
        self._deadline: Optional[float] = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="feed-stall-watchdog", daemon=True)
        self._thread.start()

    def waiting(self) -> None:
        self._deadline = time.monotonic() + self.timeout

    def busy(self) -> None:
        self._deadline = None

    def close(self) -> None:
        self._done.set()

    def _watch(self) -> None:
        while not self._done.wait(min(0.25, self.timeout / 4)):
            deadline = self._deadline
            if deadline is not None and time.monotonic() > deadline:
                self.fired = True
                self._call.cancel()
                return
