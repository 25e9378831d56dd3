// Reciprocal's node:test reporter: one JSON line per finished test, turned into JUnit by
// harness.py (Node 18 ships no JUnit reporter). The lines go straight to the harness's pipe
// (the inherited fd in RECIPROCAL_CHANNEL_FD): never a file, and the pipe cannot be reopened by
// path by the runner user (it belongs to the harness's uid).
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const channel = Number(process.env.RECIPROCAL_CHANNEL_FD);
delete process.env.RECIPROCAL_CHANNEL_FD;
const send = (line) => {
  let data = Buffer.from(line);
  while (data.length) data = data.subarray(writeSync(channel, data));
};
// A test of an ES module run in the warm runner's process names its file as a URL.
const path = (file) => (file && file.startsWith('file:') ? fileURLToPath(file) : file || null);
const text = (value) => {
  if (value === undefined || value === null) return null;
  if (value instanceof Error) return String(value.stack || value.message);
  return typeof value === 'string' ? value : JSON.stringify(value);
};

export default async function* reciprocalReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data || {};
    const details = data.details || {};
    const error = details.error;
    send(JSON.stringify({
      type: event.type,
      name: data.name,
      nesting: data.nesting || 0,
      file: path(data.file),
      duration_ms: details.duration_ms || 0,
      skip: data.skip !== undefined && data.skip !== false,
      todo: data.todo !== undefined && data.todo !== false,
      skip_reason: typeof data.skip === 'string' ? data.skip : null,
      failure_type: error ? error.failureType || null : null,
      error: error ? text(error.cause !== undefined ? error.cause : error) : null,
    }) + '\n');
  }
}
