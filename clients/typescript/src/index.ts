export { createHubClient, splitBatches, IDEMPOTENT_METHODS, IDEMPOTENT_SERVICES, type HubClient, type HubClientOptions } from "./client.js";
export { CreditExchangeError, ErrorReason, ERROR_REASON_PREFIX, errorReasonName, parseErrorReason, RETRYABLE_CODES } from "./errors.js";
export { FeedFollower, FeedStalledError, type FeedFollowerOptions, type FeedHandler, type FeedReconnect } from "./feed.js";
export { contentSha256, receiptCovers, ReceiptVerificationError, verifyReceipt, RECEIPT_ALGORITHM } from "./receipts.js";
export { TokenRequestError, TokenSource } from "./tokens.js";
export * from "./gen/creditexchange/records/v1/records_pb.js";
export * from "./gen/creditexchange/appraisal/v1/appraisal_pb.js";
export * from "./gen/creditexchange/receipts/v1/receipts_pb.js";
export * from "./gen/creditexchange/feed/v1/feed_pb.js";
