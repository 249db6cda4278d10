// Preloaded with `node --require` into the built binary: a resolver that answers HOSTILE_DNS_ADDRESS for every
// name ending in `.localhost`, as a hostile or misconfigured DNS server could. Other names resolve as usual.
'use strict';
const dns = require('node:dns');

const address = process.env.HOSTILE_DNS_ADDRESS;
const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'object' && options !== null ? options : {};
  if (!address || !/\.localhost$/i.test(hostname)) return original.call(dns, hostname, options, callback);
  const family = address.includes(':') ? 6 : 4;
  process.nextTick(() => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family)));
  return undefined;
};

// HOSTILE_DNS_LOG=FILE: every name looked up is appended to FILE, one a line (to prove a name was never sent).
const log = process.env.HOSTILE_DNS_LOG;
if (log) {
  const fs = require('node:fs');
  const patched = dns.lookup;
  dns.lookup = function logged(hostname, ...rest) {
    fs.appendFileSync(log, `${hostname}\n`);
    return patched.call(this, hostname, ...rest);
  };
}
