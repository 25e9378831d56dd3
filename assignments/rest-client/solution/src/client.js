'use strict';

const { HttpError, TimeoutError } = require('./errors');
const { isRetryable, backoffDelay, parseRetryAfter } = require('./retry');

const DEFAULTS = {
  token: undefined,
  maxRetries: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/** Build a URL from the base URL (which may carry a path prefix), a path and a query object. */
function buildUrl(baseUrl, path, query) {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, String(item));
    }
  }
  return url;
}

/** The URL of the `rel="next"` link in a Link header, resolved against the current URL. */
function nextLink(header, currentUrl) {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]);
    if (rels && rels[1].toLowerCase().split(/\s+/).includes('next')) {
      return new URL(match[1], currentUrl);
    }
  }
  return null;
}

async function readBody(response) {
  if (response.status === 204 || response.status === 205) return null;
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (/\bjson\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text; // a broken JSON error page is still worth showing to the caller
    }
  }
  return text;
}

class ApiClient {
  /**
   * @param {object} options
   * @param {string} options.baseUrl  e.g. "https://api.example.com/v1"
   * @param {string} [options.token]  sent as "Authorization: Bearer <token>"
   * @param {number} [options.maxRetries=3]  retries after the first attempt
   * @param {number} [options.baseDelayMs=200]  first backoff delay; doubles on each retry
   * @param {number} [options.maxDelayMs=10000]  cap on a backoff delay
   * @param {number} [options.maxRetryAfterMs=60000]  longest Retry-After we are willing to wait
   * @param {number} [options.timeoutMs=10000]  per attempt
   * @param {(ms: number) => Promise<void>} [options.sleep]  injectable for tests
   * @param {() => number} [options.now]  injectable clock (ms since epoch), for Retry-After dates
   */
  constructor(options) {
    if (!options || typeof options.baseUrl !== 'string') {
      throw new TypeError('ApiClient needs a baseUrl');
    }
    this.options = { ...DEFAULTS, ...options };
  }

  /** Send one request, retrying as README.md describes; resolve to the decoded body. */
  async request(method, path, { query, body, headers } = {}) {
    const url = buildUrl(this.options.baseUrl, path, query);
    const { data } = await this.#send(method.toUpperCase(), url, { body, headers });
    return data;
  }

  get(path, options) {
    return this.request('GET', path, options);
  }

  post(path, body, options = {}) {
    return this.request('POST', path, { ...options, body });
  }

  put(path, body, options = {}) {
    return this.request('PUT', path, { ...options, body });
  }

  delete(path, options) {
    return this.request('DELETE', path, options);
  }

  /**
   * Yield every item of a paginated collection, fetching pages lazily. A page is either an
   * array or an object with a `data` array; the next page comes from a Link header with
   * rel="next", or else from `next_cursor` in the body (sent back as `?cursor=`).
   */
  async *paginate(path, { query } = {}) {
    let url = buildUrl(this.options.baseUrl, path, query);
    const seen = new Set();
    while (url) {
      if (seen.has(url.href)) throw new Error(`pagination loop: ${url.href} was already fetched`);
      seen.add(url.href);
      const { response, data } = await this.#send('GET', url, {});
      const items = Array.isArray(data) ? data : data?.data;
      if (!Array.isArray(items)) throw new Error(`page ${url.href} has no list of items`);
      yield* items;

      url = nextLink(response.headers.get('link'), url);
      if (!url && data && !Array.isArray(data) && data.next_cursor) {
        url = buildUrl(this.options.baseUrl, path, { ...query, cursor: data.next_cursor });
      }
    }
  }

  /** All items of a paginated collection, as one array. */
  async getAll(path, options) {
    const items = [];
    for await (const item of this.paginate(path, options)) items.push(item);
    return items;
  }

  async #send(method, url, { body, headers }) {
    const { maxRetries, sleep } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#attempt(method, url, { body, headers });
      const canRetry = attempt <= maxRetries && isRetryable(method, outcome);

      if (outcome.response && outcome.response.ok) {
        return { response: outcome.response, data: outcome.data };
      }
      const delay = canRetry ? this.#delayBefore(attempt - 1, outcome.response) : null;
      if (delay === null) {
        if (outcome.timedOut) throw new TimeoutError(url.href, this.options.timeoutMs, attempt);
        if (outcome.networkError) throw outcome.networkError;
        throw new HttpError(outcome.status, outcome.data, url.href, attempt);
      }
      await sleep(delay);
    }
  }

  /** Milliseconds to wait before retry number `retryIndex` (0-based), or null to give up. */
  #delayBefore(retryIndex, response) {
    const header = response?.headers.get('retry-after');
    const retryAfter = parseRetryAfter(header, this.options.now);
    if (retryAfter === null) return backoffDelay(retryIndex, this.options);
    return retryAfter <= this.options.maxRetryAfterMs ? retryAfter : null;
  }

  async #attempt(method, url, { body, headers }) {
    const requestHeaders = { accept: 'application/json', ...lowerCaseKeys(headers) };
    if (this.options.token) requestHeaders.authorization = `Bearer ${this.options.token}`;
    let payload;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      requestHeaders['content-type'] ??= 'application/json';
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers: requestHeaders,
        body: payload,
        signal: controller.signal,
      });
      const data = await readBody(response);
      return { response, status: response.status, data };
    } catch (error) {
      if (controller.signal.aborted) return { timedOut: true, networkError: error };
      return { networkError: error };
    } finally {
      clearTimeout(timer);
    }
  }
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

module.exports = { ApiClient, HttpError, TimeoutError, buildUrl, nextLink };
