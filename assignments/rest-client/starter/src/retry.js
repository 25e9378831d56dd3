'use strict';

/** Statuses that mean "try again later": the request was not (fully) processed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Methods that are safe to send twice. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a failed attempt may be retried (README.md, "Retries").
 * @param {string} method  upper case
 * @param {{status?: number, networkError?: Error}} outcome
 */
function isRetryable(method, outcome) {
  // TODO
  return false;
}

/** Delay in ms before retry number `retryIndex` (0-based): see README.md, "Backoff". */
function backoffDelay(retryIndex, { baseDelayMs, maxDelayMs }) {
  // TODO
  return 0;
}

/**
 * Parse a Retry-After header value into milliseconds, or null when missing or unusable.
 * @param {string | null} value  delay-seconds ("120") or an HTTP-date
 * @param {() => number} now  the clock, in ms since the epoch
 */
function parseRetryAfter(value, now) {
  // TODO
  return null;
}

module.exports = {
  RETRYABLE_STATUSES,
  IDEMPOTENT_METHODS,
  isRetryable,
  backoffDelay,
  parseRetryAfter,
};
