'use strict';

/** The server answered with a status the caller has to deal with (after any retries). */
class HttpError extends Error {
  constructor(status, body, url, attempts) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.url = url;
    this.attempts = attempts;
  }
}

/** No response within `timeoutMs` (on the last attempt). */
class TimeoutError extends Error {
  constructor(url, timeoutMs, attempts) {
    super(`no response from ${url} within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
    this.url = url;
    this.attempts = attempts;
  }
}

module.exports = { HttpError, TimeoutError };
