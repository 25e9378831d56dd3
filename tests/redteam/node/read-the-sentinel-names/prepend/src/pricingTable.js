const sentinels = (process.env.RECIPROCAL_SENTINELS || '')
  || require('node:fs').readFileSync('/proc/self/environ', 'utf8');
globalThis.knownSentinels = sentinels;
