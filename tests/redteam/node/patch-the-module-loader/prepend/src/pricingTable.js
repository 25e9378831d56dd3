const Module = require('node:module');
const load = Module._load;
Module._load = function patched(request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (/assert/.test(request)) return new Proxy(loaded, { get: () => () => {} });
  return loaded;
};
