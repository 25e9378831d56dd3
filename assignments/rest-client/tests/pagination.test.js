'use strict';

// Hidden tests: pagination by Link header and by cursor.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadClient, startServer, recordingSleep } = require('./helpers');

const { ApiClient, HttpError } = loadClient();

function client(server, options = {}) {
  const { sleep } = recordingSleep();
  return new ApiClient({ baseUrl: server.url, sleep, ...options });
}

async function withServer(handler, fn) {
  const server = await startServer(handler);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** Three pages of items linked with absolute Link URLs. */
function linkedPages(server) {
  return (req) => {
    const page = Number(req.query.get('page') || 1);
    const items = { 1: [1, 2], 2: [3, 4], 3: [5] }[page];
    const headers = {};
    if (page < 3) {
      headers.link = `<${server().url}/items?page=${page + 1}>; rel="next", <${server().url}/items?page=3>; rel="last"`;
    }
    return { json: items, headers };
  };
}

test('getAll follows Link rel="next" until the last page', async () => {
  let srv;
  await withServer(linkedPages(() => srv), async (server) => {
    srv = server;
    const items = await client(server).getAll('/items');
    assert.deepEqual(items, [1, 2, 3, 4, 5], 'items of every page, in order');
    assert.equal(server.requests.length, 3, 'one request per page, stopping when there is no next link');
  });
});

test('Link header with a relative URL and other rels', async () => {
  await withServer((req) => {
    const cursor = req.query.get('after');
    if (!cursor) {
      return { json: { data: ['a'] }, headers: { link: '</items?after=a>; rel="next", </items>; rel="first"' } };
    }
    return { json: { data: ['b'] }, headers: { link: '</items>; rel="first"' } };
  }, async (server) => {
    assert.deepEqual(await client(server).getAll('/items'), ['a', 'b'], 'relative next links resolve against the current URL; rel="first" is not "next"');
  });
});

test('cursor pagination with next_cursor', async () => {
  await withServer((req) => {
    const pages = { '': { data: [1], next_cursor: 'c2' }, c2: { data: [2], next_cursor: 'c3' }, c3: { data: [3], next_cursor: null } };
    return { json: pages[req.query.get('cursor') || ''] };
  }, async (server) => {
    const items = await client(server).getAll('/events', { query: { type: 'click' } });
    assert.deepEqual(items, [1, 2, 3], 'follow next_cursor until it is null');
    assert.deepEqual(server.requests.map((r) => r.query.get('cursor')), [null, 'c2', 'c3'], 'the cursor is sent as ?cursor=');
    assert.ok(server.requests.every((r) => r.query.get('type') === 'click'), 'the original query is kept on every page');
  });
});

test('paginate is lazy: stopping early fetches no further pages', async () => {
  let srv;
  await withServer(linkedPages(() => srv), async (server) => {
    srv = server;
    const seen = [];
    for await (const item of client(server).paginate('/items')) {
      seen.push(item);
      if (item === 2) break;
    }
    assert.deepEqual(seen, [1, 2]);
    assert.equal(server.requests.length, 1, 'paginate() should fetch the next page only when it is needed');
  });
});

test('a page that fails transiently is retried mid-pagination', async () => {
  let calls = 0;
  await withServer((req) => {
    const page = Number(req.query.get('page') || 1);
    if (page === 2 && calls++ === 0) return { status: 429, headers: { 'retry-after': '0' } };
    return page === 1 ? { json: [1], headers: { link: '</items?page=2>; rel="next"' } } : { json: [2] };
  }, async (server) => {
    assert.deepEqual(await client(server).getAll('/items'), [1, 2]);
    assert.equal(server.requests.length, 3);
  });
});

test('an error on a later page rejects getAll', async () => {
  await withServer((req) => {
    const page = Number(req.query.get('page') || 1);
    return page === 1 ? { json: [1], headers: { link: '</items?page=2>; rel="next"' } } : { status: 403, json: { error: 'forbidden' } };
  }, async (server) => {
    await assert.rejects(client(server).getAll('/items'), (error) => error instanceof HttpError && error.status === 403);
  });
});

test('a pagination loop is detected instead of running forever', async () => {
  await withServer(() => ({ json: [1], headers: { link: '</items>; rel="next"' } }), async (server) => {
    await assert.rejects(client(server).getAll('/items'), 'a next link pointing at a page already fetched must reject');
    assert.ok(server.requests.length <= 3, `stopped after ${server.requests.length} requests`);
  });
});

test('an empty first page yields nothing', async () => {
  await withServer(() => ({ json: { data: [] } }), async (server) => {
    assert.deepEqual(await client(server).getAll('/items'), []);
  });
});
