import { setTimeout as sleep } from "node:timers/promises";
import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { ErrorReason } from "./gen/creditexchange/errors/v1/errors_pb.js";
import { FeedService, SubscribeRequestSchema, type FeedEvent, type SubscribeRequest } from "./gen/creditexchange/feed/v1/feed_pb.js";
import { CreditExchangeError } from "./errors.js";
import { TokenRequestError, type TokenSource } from "./tokens.js";

/** How a FeedFollower acknowledges, reconnects and watches its stream. */
export interface FeedFollowerOptions {
  /** Acknowledge a named subscription after the handler completed events (default true); off: call acknowledge() yourself. */
  autoAcknowledge?: boolean;
  /** Acknowledge once this many events were handled since the last acknowledgement. Default 100. */
  acknowledgeEvery?: number;
  /** ...or once this long has passed since the last one (checked after each event); every heartbeat acknowledges too. Default 5,000 ms. */
  acknowledgeIntervalMs?: number;
  /** First wait before reconnecting; doubled per consecutive failure, with jitter. Default 500 ms. */
  initialBackoffMs?: number;
  /** Longest wait before reconnecting (a RetryInfo delay still wins). Default 30,000 ms. */
  maxBackoffMs?: number;
  /** Longest wait for the next message before the stream is taken as dead: default three heartbeat intervals, at least 5 s. Handler time does not count. */
  stallTimeoutMs?: number;
  /** Called before each reconnect (for logging). */
  onReconnect?: (reconnect: FeedReconnect) => void;
}

/** Why the follower reconnects: `error` is undefined when the hub ended the stream cleanly (an instance stopping). */
export interface FeedReconnect {
  error: unknown;
  /** Consecutive failures (1 after a stream that delivered something). */
  attempt: number;
  delayMs: number;
  /** The sequence the next stream resumes after; undefined: the subscription's acknowledged one. */
  resumeAfter: bigint | undefined;
}

/** Handles one event; the follower waits for it (a returned promise) before the next. Throwing stops the follower. */
export type FeedHandler = (event: FeedEvent, signal: AbortSignal) => unknown;

/** The stream sent nothing, not even a heartbeat, for longer than the stall timeout; the follower reconnects. */
export class FeedStalledError extends Error {
  constructor(readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`The feed sent nothing for ${timeoutMs} ms.`, options);
    this.name = "FeedStalledError";
  }
}

const FATAL_CODES: ReadonlySet<Code> = new Set([
  Code.InvalidArgument, Code.OutOfRange, Code.PermissionDenied, Code.FailedPrecondition, Code.NotFound, Code.AlreadyExists, Code.Unimplemented,
]);

/**
 * Follows the joint-punishment feed (FeedService.Subscribe) for as long as it runs, handing each event to
 * the handler once, in feed order. On a stream end or a transient failure (UNAVAILABLE, a reset, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED such as FEED_SUBSCRIBER_TOO_SLOW, a silent stream) it reconnects with backoff and resumes
 * after the last event the handler completed, or further when a heartbeat said the stream had evaluated further.
 * Every stream starts with a valid token. A named subscription is acknowledged after the handler completed
 * events (batched), so a restarted system continues after its acknowledged sequence: at least once, never
 * skipping, and no event twice within one follower. Refusals no retry can cure and handler errors reject run().
 */
export class FeedFollower {
  /** The sequence the next stream resumes after (undefined until the hub told where the first stream started). */
  position: bigint | undefined;
  /** The last event the handler completed (0n before the first). */
  lastHandledSequence = 0n;
  /** The named subscription's acknowledged sequence as the hub last answered. */
  acknowledgedSequence: bigint | undefined;
  /** New streams opened after the first. */
  reconnects = 0;
  /** Events dropped because the handler had already completed them. */
  duplicatesDropped = 0;

  private readonly request: SubscribeRequest;
  private readonly options: Required<Omit<FeedFollowerOptions, "stallTimeoutMs" | "onReconnect">> & Pick<FeedFollowerOptions, "stallTimeoutMs" | "onReconnect">;
  private pending = 0;
  private lastAcknowledgedAt = Date.now();
  private delivered = false;
  private stopper: AbortController | undefined;

  constructor(
    private readonly feed: Client<typeof FeedService>,
    request: SubscribeRequest | MessageInitShape<typeof SubscribeRequestSchema>,
    options: FeedFollowerOptions = {},
    private readonly tokens?: TokenSource,
  ) {
    // A copy: the follower changes the start of later streams, never the caller's request.
    this.request = clone(SubscribeRequestSchema, create(SubscribeRequestSchema, request as MessageInitShape<typeof SubscribeRequestSchema>));
    this.options = {
      autoAcknowledge: options.autoAcknowledge ?? true,
      acknowledgeEvery: options.acknowledgeEvery ?? 100,
      acknowledgeIntervalMs: options.acknowledgeIntervalMs ?? 5_000,
      initialBackoffMs: options.initialBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      stallTimeoutMs: options.stallTimeoutMs,
      onReconnect: options.onReconnect,
    };
    if (this.options.acknowledgeEvery < 1) throw new RangeError("acknowledgeEvery must be at least 1");
    if (this.request.start.case === "afterSequence") this.position = this.request.start.value;
  }

  /**
   * Follows the feed until stop() or the signal (then resolves, after acknowledging what the handler completed),
   * a refusal no retry can cure, or a handler error (both reject). Switch on `event.action` (PunishmentAction).
   */
  async run(handler: FeedHandler, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.stopper) throw new Error("This follower is already running.");
    const stop = new AbortController();
    this.stopper = stop;
    const onAbort = () => stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) stop.abort();
    try {
      let attempt = 0;
      let previous: unknown;
      while (!stop.signal.aborted) {
        let error: unknown;
        try {
          await this.followOneStream(handler, stop.signal);
        } catch (e) {
          if (stop.signal.aborted) return;
          if (e instanceof HandlerFailure) throw e.cause;
          if (!this.isTransient(e, previous)) throw e instanceof ConnectError ? CreditExchangeError.from(e) : e;
          error = e instanceof ConnectError ? CreditExchangeError.from(e) : e;
        }
        attempt = this.delivered ? 1 : attempt + 1;
        previous = error;
        const delayMs = this.backoff(attempt, error);
        this.options.onReconnect?.({ error, attempt, delayMs, resumeAfter: this.position });
        try {
          await sleep(delayMs, undefined, { signal: stop.signal });
        } catch {
          return;
        }
        this.reconnects++;
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      await this.flush();
      this.stopper = undefined;
    }
  }

  /** Stops a running follower; run() resolves once it has acknowledged what the handler completed. */
  stop(): void {
    this.stopper?.abort();
  }

  /** Acknowledges the named subscription up to `position` now; needed only with autoAcknowledge off. */
  async acknowledge(): Promise<bigint | undefined> {
    if (!this.request.subscription) throw new Error("Only a named subscription (SubscribeRequest.subscription) is acknowledged.");
    if (this.position !== undefined) await this.acknowledgeAt(this.position);
    return this.acknowledgedSequence;
  }

  private async followOneStream(handler: FeedHandler, stop: AbortSignal): Promise<void> {
    this.delivered = false;
    if (this.tokens) await this.tokens.getToken(); // a valid token for every stream; refusals surface as TokenRequestError
    const request = clone(SubscribeRequestSchema, this.request);
    if (this.position !== undefined) request.start = { case: "afterSequence", value: this.position };
    const stallMs = this.stallTimeoutMs();
    const stream = new AbortController();
    const abortStream = () => stream.abort();
    stop.addEventListener("abort", abortStream, { once: true });
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const watch = () => {
      timer = setTimeout(() => {
        stalled = true;
        stream.abort();
      }, stallMs);
    };
    try {
      watch();
      // timeoutMs 0: no deadline, the stream runs for days.
      for await (const message of this.feed.subscribe(request, { signal: stream.signal, timeoutMs: 0 })) {
        clearTimeout(timer);
        this.delivered = true;
        if (message.item.case === "event") {
          await this.deliver(message.item.value, handler, stop);
        } else if (message.item.case === "heartbeat") {
          this.advance(message.item.value.resumeAfterSequence);
          await this.acknowledgeIfDue(true, stop);
        }
        watch();
      }
    } catch (e) {
      if (stalled && !stop.aborted) throw new FeedStalledError(stallMs, { cause: e });
      throw e;
    } finally {
      clearTimeout(timer);
      stop.removeEventListener("abort", abortStream);
      stream.abort();
    }
  }

  private async deliver(event: FeedEvent, handler: FeedHandler, stop: AbortSignal): Promise<void> {
    if (event.sequence <= this.lastHandledSequence) {
      this.duplicatesDropped++;
      return;
    }
    try {
      await handler(event, stop);
    } catch (e) {
      throw new HandlerFailure(e);
    }
    this.lastHandledSequence = event.sequence;
    this.advance(event.sequence);
    this.pending++;
    await this.acknowledgeIfDue(false, stop);
  }

  private advance(sequence: bigint): void {
    if (this.position === undefined || sequence > this.position) this.position = sequence;
  }

  private needsAcknowledgement(): boolean {
    return (
      !!this.request.subscription &&
      this.options.autoAcknowledge &&
      this.position !== undefined &&
      (this.acknowledgedSequence === undefined || this.position > this.acknowledgedSequence)
    );
  }

  private async acknowledgeIfDue(heartbeat: boolean, stop: AbortSignal): Promise<void> {
    if (!this.needsAcknowledgement()) return;
    const due =
      heartbeat || this.pending >= this.options.acknowledgeEvery || Date.now() - this.lastAcknowledgedAt >= this.options.acknowledgeIntervalMs;
    if (!due) return;
    try {
      await this.acknowledgeAt(this.position!, stop);
    } catch (e) {
      // Idempotent and never moving back: the next trigger sends the newer position.
      if (stop.aborted || !this.isTransient(e, undefined)) throw e;
      this.lastAcknowledgedAt = Date.now();
    }
  }

  private async acknowledgeAt(sequence: bigint, signal?: AbortSignal): Promise<void> {
    const answer = await this.feed.acknowledgeEvents({ subscription: this.request.subscription, sequence }, { signal, timeoutMs: 10_000 });
    if (this.acknowledgedSequence === undefined || answer.acknowledgedSequence > this.acknowledgedSequence) {
      this.acknowledgedSequence = answer.acknowledgedSequence;
    }
    this.pending = 0;
    this.lastAcknowledgedAt = Date.now();
  }

  /** On the way out: acknowledge what the handler completed (best effort: delivery is at least once anyway). */
  private async flush(): Promise<void> {
    if (!this.needsAcknowledgement()) return;
    try {
      await this.acknowledgeAt(this.position!);
    } catch {
      // the next follower starts from the older acknowledgement and drops nothing
    }
  }

  private stallTimeoutMs(): number {
    if (this.options.stallTimeoutMs !== undefined) return this.options.stallTimeoutMs;
    const heartbeat = this.request.heartbeatSeconds > 0 ? this.request.heartbeatSeconds : 15;
    return Math.max(5_000, 3 * heartbeat * 1000);
  }

  private backoff(attempt: number, error: unknown): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** Math.min(attempt - 1, 30));
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    const asked = error instanceof ConnectError ? CreditExchangeError.from(error).retryDelayMs : undefined;
    return asked !== undefined && asked > delay ? asked : delay;
  }

  /** Whether a reconnect may cure the failure: not for refusals of the request, scope, certificate or agency. */
  private isTransient(e: unknown, previous: unknown): boolean {
    if (e instanceof FeedStalledError) return true;
    if (e instanceof TokenRequestError) return e.error.startsWith("http_5");
    if (e instanceof ConnectError) {
      const error = CreditExchangeError.from(e);
      if (FATAL_CODES.has(error.code)) return false;
      if (error.code === Code.Unauthenticated) {
        // An expired or unreadable token: once, with a fresh one. A certificate or suspension is not cured by waiting.
        if (error.reason !== ErrorReason.TOKEN_INVALID) return false;
        this.tokens?.invalidate();
        return !(previous instanceof ConnectError && CreditExchangeError.from(previous).reason === ErrorReason.TOKEN_INVALID);
      }
      return true; // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, a reset (CANCELED, INTERNAL), …
    }
    // Network errors of the token request (ECONNREFUSED, ECONNRESET, ETIMEDOUT…).
    return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
  }
}

/** Carries a handler's error past the transient-failure check. */
class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super("the feed handler failed", { cause });
  }
}
