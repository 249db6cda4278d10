// Stands in for undici/lib/dispatcher/client-h2.js in the bundle (scripts/build.js). undici only uses its
// HTTP/2 client when a dispatcher is created with `allowH2: true` and the server picks h2 over ALPN; tcss
// never sets allowH2, so this code is never reached, and leaving the real module out spares every request
// the load of node:http2 (and node:tls on plain-HTTP endpoints).
'use strict';

module.exports = function connectH2() {
  throw new Error('HTTP/2 is not included in this build of tcss (allowH2 must stay off)');
};
