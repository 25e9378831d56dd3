'use strict';

// Helpers for the hidden suite: a scripted HTTP server on 127.0.0.1 and the candidate's client.

const http = require('node:http');
const path = require('node:path');

const SUBMISSION_DIR = process.env.SUBMISSION_DIR || process.cwd();

function loadClient() {
  return require(path.join(SUBMISSION_DIR, 'src', 'client.js'));
}

/**
 * Start a server that answers with `handler(req, body, requestIndex)` -> response spec
 * { status = 200, headers = {}, json, text, hang, destroy }; `hang` answers only after 3 s. Every request is recorded.
 */
async function startServer(handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://127.0.0.1');
      const record = { method: req.method, url: req.url, path: url.pathname, query: url.searchParams, headers: req.headers, body };
      requests.push(record);
      const spec = (await handler(record, requests.length - 1)) || {};
      if (spec.hang) {
        // Answer far too late: long after any sensible timeout, but bounded so that a client
        // without timeouts fails this test instead of hanging the whole suite.
        const timer = setTimeout(() => {
          if (!res.destroyed) res.end(JSON.stringify({ late: true }));
        }, 3000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      if (spec.destroy) {
        req.socket.destroy();
        return;
      }
      const headers = { ...(spec.headers || {}) };
      let payload = '';
      if (spec.json !== undefined) {
        payload = JSON.stringify(spec.json);
        headers['content-type'] = headers['content-type'] || 'application/json';
      } else if (spec.text !== undefined) {
        payload = spec.text;
        headers['content-type'] = headers['content-type'] || 'text/plain';
      }
      res.writeHead(spec.status || 200, headers);
      res.end(payload);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      if (server.closeAllConnections) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answer requests in order from a list of specs (the last one repeats). */
function sequence(...specs) {
  return (_req, index) => specs[Math.min(index, specs.length - 1)];
}

/** A fake sleep that records the delays instead of waiting. */
function recordingSleep() {
  const delays = [];
  const sleep = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

module.exports = { loadClient, startServer, sequence, recordingSleep };
