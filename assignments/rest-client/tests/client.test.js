'use strict';

// Hidden tests: requests, errors, retries, backoff, Retry-After and timeouts.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadClient, startServer, sequence, recordingSleep } = require('./helpers');

const { ApiClient, HttpError, TimeoutError } = loadClient();

async function withServer(handler, fn) {
  const server = await startServer(handler);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

function client(server, options = {}) {
  const { sleep } = recordingSleep();
  return new ApiClient({ baseUrl: server.url, sleep, ...options });
}

test('get resolves to the parsed JSON body', async () => {
  await withServer(sequence({ json: { id: 7, name: 'Ada' } }), async (server) => {
    const body = await client(server).get('/users/7');
    assert.deepEqual(body, { id: 7, name: 'Ada' }, 'get() should resolve to the decoded JSON body');
    assert.equal(server.requests[0].path, '/users/7');
    assert.equal(server.requests[0].method, 'GET');
  });
});

test('sends Accept and a bearer token', async () => {
  await withServer(sequence({ json: {} }), async (server) => {
    await client(server, { token: 's3cret' }).get('/me');
    const { headers } = server.requests[0];
    assert.equal(headers.authorization, 'Bearer s3cret', 'the token goes in "Authorization: Bearer <token>"');
    assert.match(headers.accept || '', /application\/json/, 'requests should send Accept: application/json');
  });
});

test('base URL path prefix is kept', async () => {
  await withServer(sequence({ json: [] }), async (server) => {
    await client(server, { baseUrl: `${server.url}/api/v1` }).get('/orders');
    assert.equal(server.requests[0].path, '/api/v1/orders', 'a baseUrl of ".../api/v1" plus "/orders" is "/api/v1/orders"');
  });
});

test('query parameters are encoded, arrays repeat, undefined is skipped', async () => {
  await withServer(sequence({ json: [] }), async (server) => {
    await client(server).get('/search', { query: { q: 'a b&c', tag: ['x', 'y'], page: 2, skip: undefined } });
    const { query } = server.requests[0];
    assert.equal(query.get('q'), 'a b&c', 'values must be URL-encoded');
    assert.deepEqual(query.getAll('tag'), ['x', 'y'], 'an array becomes a repeated parameter');
    assert.equal(query.get('page'), '2');
    assert.equal(query.has('skip'), false, 'undefined values are left out');
  });
});

test('post sends a JSON body', async () => {
  await withServer(sequence({ status: 201, json: { id: 1 } }), async (server) => {
    const created = await client(server).post('/orders', { sku: 'A-1', qty: 2 });
    const request = server.requests[0];
    assert.equal(request.method, 'POST');
    assert.match(request.headers['content-type'] || '', /application\/json/, 'a JSON body needs Content-Type: application/json');
    assert.deepEqual(JSON.parse(request.body), { sku: 'A-1', qty: 2 });
    assert.deepEqual(created, { id: 1 });
  });
});

test('204 No Content resolves to null', async () => {
  await withServer(sequence({ status: 204 }), async (server) => {
    assert.equal(await client(server).delete('/orders/1'), null, 'an empty 204 response resolves to null');
  });
});

test('404 rejects with HttpError carrying status and body, without retrying', async () => {
  await withServer(sequence({ status: 404, json: { error: 'no such order' } }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await assert.rejects(
      client(server, { sleep }).get('/orders/404'),
      (error) => {
        assert.ok(error instanceof HttpError, `expected an HttpError, got ${error}`);
        assert.equal(error.status, 404);
        assert.deepEqual(error.body, { error: 'no such order' }, 'HttpError.body is the decoded error body');
        return true;
      },
    );
    assert.equal(server.requests.length, 1, 'a 4xx other than 429 must not be retried');
    assert.deepEqual(delays, []);
  });
});

test('other 4xx statuses and 500 are not retried', async () => {
  for (const status of [400, 401, 403, 409, 422, 500]) {
    await withServer(sequence({ status, text: 'nope' }), async (server) => {
      await assert.rejects(client(server).get('/x'), (error) => error instanceof HttpError && error.status === status);
      assert.equal(server.requests.length, 1, `${status} should fail at once (retrying will not help)`);
    });
  }
});

test('503 then 200: retried after the base delay', async () => {
  await withServer(sequence({ status: 503 }, { json: { ok: true } }), async (server) => {
    const { delays, sleep } = recordingSleep();
    const body = await client(server, { sleep, baseDelayMs: 100 }).get('/x');
    assert.deepEqual(body, { ok: true });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(delays, [100], 'the first retry waits baseDelayMs');
  });
});

test('backoff doubles and gives up after maxRetries', async () => {
  await withServer(sequence({ status: 503, json: { error: 'busy' } }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await assert.rejects(
      client(server, { sleep, baseDelayMs: 100, maxRetries: 3 }).get('/x'),
      (error) => error instanceof HttpError && error.status === 503,
      'after the last retry the final 503 is reported as an HttpError',
    );
    assert.equal(server.requests.length, 4, 'maxRetries: 3 means 1 attempt + 3 retries');
    assert.deepEqual(delays, [100, 200, 400], 'delays double: base, 2x base, 4x base');
  });
});

test('backoff is capped at maxDelayMs', async () => {
  await withServer(sequence({ status: 502 }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await assert.rejects(client(server, { sleep, baseDelayMs: 100, maxDelayMs: 250, maxRetries: 4 }).get('/x'));
    assert.deepEqual(delays, [100, 200, 250, 250]);
  });
});

test('maxRetries 0 disables retries', async () => {
  await withServer(sequence({ status: 503 }), async (server) => {
    await assert.rejects(client(server, { maxRetries: 0 }).get('/x'), HttpError);
    assert.equal(server.requests.length, 1);
  });
});

test('429 honours Retry-After in seconds', async () => {
  await withServer(sequence({ status: 429, headers: { 'retry-after': '3' } }, { json: [] }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await client(server, { sleep, baseDelayMs: 100 }).get('/x');
    assert.deepEqual(delays, [3000], 'Retry-After: 3 means wait 3000 ms, instead of the backoff delay');
  });
});

test('Retry-After as an HTTP date, against the injected clock', async () => {
  const retryAt = 'Fri, 01 Mar 2024 10:00:05 GMT';
  await withServer(sequence({ status: 503, headers: { 'retry-after': retryAt } }, { json: [] }), async (server) => {
    const { delays, sleep } = recordingSleep();
    const now = () => Date.parse('2024-03-01T10:00:00Z');
    await client(server, { sleep, now, baseDelayMs: 100 }).get('/x');
    assert.deepEqual(delays, [5000], 'an HTTP-date Retry-After waits until that date (5 s after `now()`)');
  });
});

test('unparseable Retry-After falls back to backoff', async () => {
  await withServer(sequence({ status: 503, headers: { 'retry-after': 'soon' } }, { json: [] }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await client(server, { sleep, baseDelayMs: 100 }).get('/x');
    assert.deepEqual(delays, [100]);
  });
});

test('a Retry-After longer than maxRetryAfterMs gives up at once', async () => {
  await withServer(sequence({ status: 429, headers: { 'retry-after': '3600' } }, { json: [] }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await assert.rejects(
      client(server, { sleep, maxRetryAfterMs: 60_000 }).get('/x'),
      (error) => error instanceof HttpError && error.status === 429,
      'waiting an hour is not an option: reject with the 429',
    );
    assert.deepEqual(delays, [], 'no sleep when the server asks for longer than maxRetryAfterMs');
    assert.equal(server.requests.length, 1);
  });
});

test('POST is not retried on 503 (it may have been processed)', async () => {
  await withServer(sequence({ status: 503 }, { status: 201, json: {} }), async (server) => {
    await assert.rejects(client(server).post('/payments', { amount: 100 }), HttpError);
    assert.equal(server.requests.length, 1, 'retrying a POST after a 503 risks doing it twice');
  });
});

test('POST is retried on 429 (the server refused it)', async () => {
  await withServer(sequence({ status: 429, headers: { 'retry-after': '1' } }, { status: 201, json: { id: 9 } }), async (server) => {
    const body = await client(server).post('/payments', { amount: 100 });
    assert.deepEqual(body, { id: 9 });
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1].body, server.requests[0].body, 'the retry sends the same body');
  });
});

test('PUT is retried on 503 (it is idempotent)', async () => {
  await withServer(sequence({ status: 503 }, { json: { ok: 1 } }), async (server) => {
    assert.deepEqual(await client(server).put('/orders/1', { qty: 3 }), { ok: 1 });
    assert.equal(server.requests.length, 2);
  });
});

test('a dropped connection is retried for GET', async () => {
  await withServer(sequence({ destroy: true }, { json: { ok: true } }), async (server) => {
    assert.deepEqual(await client(server).get('/x'), { ok: true }, 'a reset connection is a transient failure');
    assert.equal(server.requests.length, 2);
  });
});

test('a timeout aborts the attempt, is retried, then rejects with TimeoutError', async () => {
  await withServer(sequence({ hang: true }), async (server) => {
    const { delays, sleep } = recordingSleep();
    await assert.rejects(
      client(server, { sleep, timeoutMs: 100, maxRetries: 1, baseDelayMs: 10 }).get('/slow'),
      (error) => {
        assert.ok(error instanceof TimeoutError, `expected a TimeoutError, got ${error && error.name}: ${error}`);
        return true;
      },
    );
    assert.equal(server.requests.length, 2, 'a timed-out GET is retried like a 503');
    assert.deepEqual(delays, [10]);
  });
});

test('a timeout followed by a success resolves', async () => {
  await withServer(sequence({ hang: true }, { json: { late: false } }), async (server) => {
    assert.deepEqual(await client(server, { timeoutMs: 100 }).get('/x'), { late: false });
  });
});
