// Preload for running Adobe's `@adobe/reactor-uploader` unchanged against a test server:
//   node --require e2e/test/support/reactor-uploader-redirect.cjs …/reactor-uploader/bin/index.js pkg.zip …
// The uploader's URLs are fixed (https://reactor[-dev|-stage].adobe.io/extension_packages); this
// wraps the node-fetch it loads so every request to *.adobe.io goes to REACTOR_UPLOADER_BASE_URL
// instead, with path, query, method, headers and body untouched. Nothing else is changed.
'use strict';
const Module = require('node:module');

const base = process.env.REACTOR_UPLOADER_BASE_URL;
if (!base) {
  throw new Error('REACTOR_UPLOADER_BASE_URL is not set');
}
const target = new URL(base);

function redirect(input) {
  const url = new URL(typeof input === 'string' ? input : input.url || input.href);
  if (/(^|\.)adobe\.io$/.test(url.hostname)) {
    url.protocol = target.protocol;
    url.host = target.host;
  }
  return url.toString();
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const exported = originalLoad.call(this, request, parent, isMain);
  if (request !== 'node-fetch' || exported.__openexpRedirected) {
    return exported;
  }
  const wrapped = function fetchRedirected(input, options) {
    return exported(redirect(input), options);
  };
  Object.assign(wrapped, exported);
  wrapped.default = wrapped;
  wrapped.__openexpRedirected = true;
  return wrapped;
};
