// Reciprocal's warm Node runner: started by the harness while a pooled container waits for its
// job, as the candidate's uid, holding no file or secret of a job. It loads node:test, the
// reporters (given on its command line) and the modules the image declares warmable (jsdom in
// the Node runner), then blocks on its control pipe. The harness writes the job there once the
// submission and the hidden tests are in place: the environment, the folder, the hidden test
// files and the sentinels' names. The files then run in this one process, in order, the way
// `node --test --test-isolation=none` runs them in later Node versions; each test is reported
// with its own file, and a file that fails to load is reported as a failed test named after
// it, as `node --test` does.
//
// node --require node-guard.cjs --test-reporter=... node-warm.mjs <control fd> [module ...]
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const guard = require('./node-guard.cjs');
require('node:test');
const [control, ...modules] = process.argv.slice(2);
for (const name of modules) {
  try {
    require(name);
  } catch {
    // Not there in this image: a test that needs it reports the error itself.
  }
}

const message = readFileSync(Number(control), 'utf8');
if (!message) process.exit(0); // the container ends without a job
const job = JSON.parse(message);
// Read before any import: the reporter takes the variable out of the environment when it loads.
const channel = Number(job.env.RECIPROCAL_CHANNEL_FD);
for (const key of Object.keys(process.env)) delete process.env[key];
Object.assign(process.env, job.env);
process.chdir(job.cwd);

const loadFailure = (file, error) => {
  const line = JSON.stringify({
    type: 'test:fail', name: file, nesting: 0, file, duration_ms: 0, skip: false, todo: false,
    skip_reason: null, failure_type: 'testCodeFailure',
    error: String((error && error.stack) || error),
  }) + '\n';
  let data = Buffer.from(line);
  while (data.length) data = data.subarray(writeSync(channel, data));
  process.stderr.write(`${file} failed to load:\n${String((error && error.stack) || error)}\n`);
  process.exitCode = 1;
};

for (const file of job.files) {
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    loadFailure(file, error);
  }
}
guard.addSentinels(job.sentinels[0], job.sentinels[1]);
