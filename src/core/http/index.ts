/**
 * The network edge: endpoint and proxy parsing, and (loaded only when a request is sent) the transport and
 * proxy agent, which are imported by path with `import()` so that runs that send nothing never load undici.
 */
export * from './clock.js';
export * from './endpoint.js';
export * from './proxy.js';
export type { HttpRequest, HttpResponse } from './transport.js';
export * from './url-input.js';
