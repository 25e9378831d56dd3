'use strict';

const { HttpError, TimeoutError } = require('./errors');
const { isRetryable, backoffDelay, parseRetryAfter } = require('./retry'); // for the TODOs

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
  // TODO: keep the base URL's path prefix ("/api/v1"), and add the query parameters
  // (README.md, "Requests").
  return new URL(path, baseUrl);
}

/** The URL of the `rel="next"` link in a Link header, resolved against the current URL. */
function nextLink(header, currentUrl) {
  // TODO: parse headers like '<https://api.example.com/items?page=2>; rel="next", <...>; rel="last"'
  return null;
}

async function readBody(response) {
  // TODO: empty bodies (204) and non-JSON bodies (README.md, "Requests").
  return response.json();
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
    // TODO: fetch the first page, yield its items, then follow the next page (README.md,
    // "Pagination") until there is none. Fetch a page only when the caller needs it.
    const data = await this.get(path, { query });
    yield* data;
  }

  /** All items of a paginated collection, as one array. */
  async getAll(path, options) {
    const items = [];
    for await (const item of this.paginate(path, options)) items.push(item);
    return items;
  }

  async #send(method, url, { body, headers }) {
    // TODO: retries with backoff and Retry-After (README.md, "Retries").
    const outcome = await this.#attempt(method, url, { body, headers });
    if (outcome.networkError) throw outcome.networkError;
    if (!outcome.response.ok) throw new HttpError(outcome.status, outcome.data, url.href, 1);
    return { response: outcome.response, data: outcome.data };
  }

  async #attempt(method, url, { body, headers }) {
    const requestHeaders = { accept: 'application/json', ...lowerCaseKeys(headers) };
    if (this.options.token) requestHeaders.authorization = `Bearer ${this.options.token}`;
    let payload;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      requestHeaders['content-type'] ??= 'application/json';
    }

    // TODO: give up on an attempt after this.options.timeoutMs (README.md, "Timeouts").
    try {
      const response = await fetch(url, { method, headers: requestHeaders, body: payload });
      const data = await readBody(response);
      return { response, status: response.status, data };
    } catch (error) {
      return { networkError: error };
    }
  }
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

module.exports = { ApiClient, HttpError, TimeoutError, buildUrl, nextLink };
