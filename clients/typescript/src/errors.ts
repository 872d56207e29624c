import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorReason } from "./gen/creditexchange/errors/v1/errors_pb.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  LocalizedMessageSchema,
  RetryInfoSchema,
  type BadRequest_FieldViolation,
} from "./gen/google/rpc/error_details_pb.js";

export { ErrorReason };

/** The prefix of the contract's ErrorReason value names; the hub sends the names without it. */
export const ERROR_REASON_PREFIX = "ERROR_REASON_";

/** The ErrorReason a wire name (ErrorInfo.reason, ItemError.reason) stands for; UNSPECIFIED when unknown. */
export function parseErrorReason(wireName: string | undefined): ErrorReason {
  if (!wireName) return ErrorReason.UNSPECIFIED;
  const value = (ErrorReason as unknown as Record<string, number | undefined>)[wireName];
  return typeof value === "number" ? (value as ErrorReason) : ErrorReason.UNSPECIFIED;
}

/** The name the hub sends for a reason, e.g. "RECORD_NOT_FOUND". */
export function errorReasonName(reason: ErrorReason): string {
  const name = ErrorReason[reason];
  if (name === undefined) throw new RangeError(`not an ErrorReason: ${reason}`);
  return name;
}

/**
 * A call the hub refused, with its details decoded: the reason to branch on, the field violations
 * (proto field paths), the RetryInfo delay and the localized message. It is a ConnectError.
 */
export class CreditExchangeError extends ConnectError {
  /** The reason; UNSPECIFIED when none was sent or this SDK does not know it (see reasonName). */
  readonly reason: ErrorReason;
  /** The reason as sent, e.g. "RECORD_NOT_FOUND". */
  readonly reasonName: string | undefined;
  /** One entry per bad field, e.g. { field: "record.subject.civil_servant.resident_id", … }. */
  readonly fieldViolations: BadRequest_FieldViolation[];
  /** How long the hub asked to wait before retrying, in milliseconds. */
  readonly retryDelayMs: number | undefined;
  /** The hub's message in `locale` (zh-CN when asked for with accept-language). */
  readonly localizedMessage: string | undefined;
  readonly locale: string | undefined;

  constructor(error: ConnectError) {
    super(error.rawMessage, error.code, error.metadata, undefined, error);
    // name stays "ConnectError": connect recognises its errors by name and would otherwise re-wrap this one.
    this.details = error.details;
    const info = error.findDetails(ErrorInfoSchema)[0];
    this.reasonName = info?.reason || undefined;
    this.reason = parseErrorReason(info?.reason);
    this.fieldViolations = error.findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations);
    const retry = error.findDetails(RetryInfoSchema)[0]?.retryDelay;
    this.retryDelayMs = retry ? Number(retry.seconds) * 1000 + Math.ceil(retry.nanos / 1e6) : undefined;
    const localized = error.findDetails(LocalizedMessageSchema)[0];
    this.localizedMessage = localized?.message;
    this.locale = localized?.locale;
  }

  /** ConnectError's own check accepts any ConnectError; this one only errors built here. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && Object.getPrototypeOf(value) === CreditExchangeError.prototype;
  }

  /** The error as a CreditExchangeError (a ConnectError for anything else thrown). */
  static from(error: unknown): CreditExchangeError {
    if (error instanceof CreditExchangeError) return error;
    return new CreditExchangeError(ConnectError.from(error));
  }
}

/** Status codes after which an idempotent call is tried again. */
export const RETRYABLE_CODES: ReadonlySet<Code> = new Set([Code.Unavailable, Code.ResourceExhausted]);
