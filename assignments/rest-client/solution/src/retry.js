'use strict';

/** Statuses that mean "try again later": the request was not (fully) processed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Methods that are safe to send twice. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a failed attempt may be retried. A 429 is always safe (the server refused the request
 * before doing anything); other failures are retried only for idempotent methods, since a POST
 * may have been processed before the connection broke.
 */
function isRetryable(method, { status, networkError }) {
  if (status === 429) return true;
  if (!IDEMPOTENT_METHODS.has(method)) return false;
  return networkError || RETRYABLE_STATUSES.has(status);
}

/** Exponential backoff: base, 2 * base, 4 * base, ... capped at maxDelayMs. */
function backoffDelay(retryIndex, { baseDelayMs, maxDelayMs }) {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
}

/**
 * Parse a Retry-After header: delay-seconds ("120") or an HTTP-date. Returns milliseconds, or
 * null when the header is missing or unusable (then the caller falls back to backoff).
 */
function parseRetryAfter(value, now) {
  if (value == null) return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, date - now());
}

module.exports = {
  RETRYABLE_STATUSES,
  IDEMPOTENT_METHODS,
  isRetryable,
  backoffDelay,
  parseRetryAfter,
};
