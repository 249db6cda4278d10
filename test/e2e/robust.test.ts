/**
 * Transient faults are retried, permanent ones fail fast, nothing hangs: the built binary against the emulator
 * with injected faults (and a test peer / CONNECT proxy for clock skew, TLS and proxies). Each case checks the
 * exit code, the message, how many requests were sent, and a time bound.
 */
import { execa } from 'execa';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FaultSpec } from '../../src/emulator/types.js';
import { startApiPeer, type ApiPeer } from '../helpers/api-peer.js';
import { BIN, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { ACCOUNT_A, startTestEmulator } from '../helpers/emulator-client.js';
import { makeTestCa, type TestCa } from '../helpers/test-ca.js';

let home: TempHome;
let emu: Emulator;
let ca: TestCa;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  home = await makeTempHome();
  emu = await startTestEmulator({ rateLimitPerSecond: 0 });
  ca = await makeTestCa();
});
afterAll(async () => {
  await emu.close();
  await ca.cleanup();
  await home.cleanup();
});
afterEach(async () => {
  emu.clearFaults();
  emu.resetRequests();
  while (closers.length > 0) await closers.pop()?.();
});

const CREDS = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey, TCSS_RETRY_BASE_MS: '20' };

interface Run {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

async function tcss(args: string[], env: Record<string, string> = {}, endpoint = emu.url): Promise<Run> {
  const started = performance.now();
  const r = await runTcss(args, { home: home.dir, env: { TCSS_ENDPOINT: endpoint, ...CREDS, ...env } });
  const run = { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), ms: performance.now() - started };
  // Never a stack trace (those are for --debug), never the key.
  if (!args.includes('--debug')) expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
  expect(run.stderr + run.stdout).not.toContain(ACCOUNT_A.secretKey);
  return run;
}

const get = ['image-scan', 'get'];
// --replace: one Create per run, so that the request counts below are the transport's alone.
const set = ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00'];
const faults = (...specs: FaultSpec[]): void => specs.forEach((f) => emu.injectFault(f));
/** The error line (first line of stderr). */
const errorLine = (run: Run): string => run.stderr.split('\n').find((l) => l.startsWith('Error ')) ?? '';

describe('retries', () => {
  it('retries RequestLimitExceeded with backoff, each attempt visible with --debug and signed afresh', async () => {
    faults({ kind: 'api-error', code: 'RequestLimitExceeded', times: 2 });
    const run = await tcss([...set, '--debug']);
    expect(run.exitCode).toBe(0);
    expect(emu.requests).toHaveLength(3);
    expect(emu.requests.map((r) => r.errorCode)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', undefined]);
    expect(run.stderr).toMatch(/^debug: attempt 2\/3 after RequestLimitExceeded, waiting \d+ ms$/m);
    expect(run.stderr).toMatch(/^debug: attempt 3\/3 after RequestLimitExceeded, waiting \d+ ms$/m);
    // Three separate signings (the emulator verified all three).
    expect(run.stderr.match(/^debug: string to sign:/gm)).toHaveLength(3);
    expect(run.ms).toBeLessThan(5000);
  });

  it('gives up after --retries with the last error and how many attempts were made', async () => {
    faults({ kind: 'api-error', code: 'RequestLimitExceeded.UinLimitExceeded', message: 'Too many requests.', times: 5 });
    const run = await tcss([...get, '--retries', '2']);
    expect(run.exitCode).toBe(3);
    expect(errorLine(run)).toMatch(/^Error \[RequestLimitExceeded\.UinLimitExceeded\]: Too many requests; gave up after 3 attempts \(RequestId [0-9a-f-]+\)$/);
    expect(run.stderr).toContain('hint: too many requests');
    expect(emu.requests).toHaveLength(3);
  });

  it('--retries 0 makes one attempt; TCSS_RETRIES works too', async () => {
    faults({ kind: 'status', status: 503, times: 5 });
    expect((await tcss([...get, '--retries', '0'])).exitCode).toBe(4);
    expect(emu.requests).toHaveLength(1);
    emu.resetRequests();
    expect((await tcss(get, { TCSS_RETRIES: '1' })).exitCode).toBe(4);
    expect(emu.requests).toHaveLength(2);
  });

  it.each([
    ['InvalidParameter.InvalidFormat', 'api-error'],
    ['MissingParameter', 'api-error'],
    ['AuthFailure.SignatureFailure', 'api-error'],
    ['AuthFailure.SecretIdNotFound', 'api-error'],
    ['UnauthorizedOperation', 'api-error'],
    ['InternalError', 'api-error'],
  ])('fails fast on %s: one request, exit 3', async (code) => {
    faults({ kind: 'api-error', code, message: 'no.', times: 3 });
    const run = await tcss(set);
    expect(run.exitCode).toBe(3);
    expect(errorLine(run)).toMatch(new RegExp(`^Error \\[${code.replace('.', '\\.')}\\]: no\\. \\(RequestId `));
    expect(emu.requests).toHaveLength(1);
  });

  it('retries HTTP 5xx (an HTML error page from a gateway) and succeeds', async () => {
    faults({ kind: 'html' }, { kind: 'status', status: 503 });
    const run = await tcss(get);
    expect(run.exitCode).toBe(0);
    expect(emu.requests.map((r) => r.status)).toEqual([502, 503, 200]);
  });

  it('reports the gateway page in one line when 5xx persists', async () => {
    faults({ kind: 'html', times: 3 });
    const run = await tcss(get);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe('Error [Network.BadStatus]: the endpoint answered HTTP 502 with an HTML page ("502 Bad Gateway"); gave up after 3 attempts');
    expect(emu.requests).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    faults({ kind: 'reset' });
    const run = await tcss(set);
    expect(run.exitCode).toBe(0);
    expect(emu.requests).toHaveLength(2);
    expect(emu.settingsOf(ACCOUNT_A.secretId)).toMatchObject({ Enable: true, ScanTime: '01:00:00' });
  });

  it('retries a refused connection, then says so', async () => {
    const peer = await startApiPeer();
    const closed = peer.url;
    await peer.close();
    const run = await tcss([...get, '--debug'], {}, closed);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(`Error [Network.Refused]: connection to 127.0.0.1:${peer.port} was refused; gave up after 3 attempts`);
    expect(run.stderr).toContain('debug: attempt 3/3 after Network.Refused');
    expect(run.ms).toBeLessThan(5000);
  });
});

describe('timeouts', () => {
  it('a server that never answers gives exit 4 within --timeout', async () => {
    faults({ kind: 'stall-headers', times: 3 });
    const run = await tcss([...get, '--timeout', '0.5', '--retries', '0']);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(`Error [Network.Timeout]: no complete answer from 127.0.0.1:${emu.port} within 0.5s`);
    expect(emu.requests).toHaveLength(1);
    expect(run.ms).toBeLessThan(500 + 2000);
  });

  it('a body that stops half-way is cut off at --timeout and retried', async () => {
    faults({ kind: 'stall-body', times: 2 });
    const run = await tcss([...get, '--timeout', '0.5', '--retries', '1']);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toMatch(/Network\.Timeout.*within 0\.5s; gave up after 2 attempts$/);
    expect(emu.requests).toHaveLength(2);
    expect(run.ms).toBeLessThan(2 * 500 + 2000);
  });

  it('a slow answer inside --timeout is fine', async () => {
    faults({ kind: 'delay', delayMs: 300 });
    const run = await tcss([...get, '--timeout', '2']);
    expect(run.exitCode).toBe(0);
    expect(emu.requests).toHaveLength(1);
  });
});

describe('hostile or broken answers: one line, exit 4, never retried', () => {
  it.each<[FaultSpec['kind'], RegExp]>([
    ['not-json', /^Error \[Network\.BadResponse\]: the endpoint answered HTTP 200 with \d+ bytes that are not the API's JSON$/],
    ['truncated-json', /^Error \[Network\.BadResponse\]: the endpoint answered HTTP 200 with \d+ bytes that are not the API's JSON$/],
    ['no-response-key', /^Error \[Network\.BadResponse\]: the answer is JSON without a "Response" object, so it is not an answer from the API$/],
    ['no-request-id', /^Error \[Network\.BadResponse\]: the answer has no "RequestId", so it is not an answer from the API$/],
    ['huge-body', /^Error \[Network\.TooLarge\]: the answer is \d+ bytes, over the 1048576-byte limit, so it is not an answer from the API$/],
    ['invalid-utf8', /^Error \[Network\.BadResponse\]: the answer is not valid UTF-8; it is not the API's JSON$/],
    ['redirect', /^Error \[Network\.Redirect\]: the endpoint answered with a redirect \(HTTP 302 to http:\/\/127\.0\.0\.1:\d+\/redirected\); tcss does not follow redirects$/],
  ])('%s', async (kind, message) => {
    faults({ kind, times: 3 });
    const run = await tcss(get);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toMatch(message);
    expect(run.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(run.stdout).toBe('');
    expect(emu.requests).toHaveLength(1);
    expect(run.ms).toBeLessThan(3000);
  });
});

describe('SIGINT', () => {
  async function interrupted(args: string[], env: Record<string, string>, afterRequests: number, extraWaitMs = 0) {
    const child = execa('node', [BIN, ...args], {
      env: cleanEnv(home.dir, { TCSS_ENDPOINT: emu.url, ...CREDS, ...env }),
      extendEnv: false,
      reject: false,
      timeout: 15_000,
    });
    const deadline = Date.now() + 10_000;
    while (emu.requests.length < afterRequests && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, extraWaitMs));
    const sent = performance.now();
    child.kill('SIGINT');
    const result = await child;
    const ms = performance.now() - sent;
    await new Promise((r) => setTimeout(r, 300));
    return { result, ms };
  }

  it('aborts a request in flight: exit 130 at once, nothing more sent', async () => {
    faults({ kind: 'stall-headers', times: 3 });
    const { result, ms } = await interrupted(get, {}, 1, 50);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('Error [Interrupted]: Interrupted; the request was aborted.');
    expect(ms).toBeLessThan(1000);
    expect(emu.requests).toHaveLength(1);
  });

  it('a write interrupted in flight says the service may have applied it, and how to check', async () => {
    faults({ kind: 'stall-headers', times: 3 });
    const { result, ms } = await interrupted(set, {}, 1, 50);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toBe(
      'Error [Interrupted]: Interrupted; the request was aborted, but the service may have applied it already.\nhint: check with "tcss image-scan get" (or "tcss image-scan diff -f FILE")',
    );
    expect(ms).toBeLessThan(1000);
    expect(emu.requests).toHaveLength(1);
  });

  it('aborts the wait before a retry', async () => {
    faults({ kind: 'status', status: 503, times: 3 });
    const { result, ms } = await interrupted(get, { TCSS_RETRY_BASE_MS: '20000' }, 1, 200);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('Interrupted while waiting to retry; nothing more was sent.');
    expect(ms).toBeLessThan(1000);
    expect(emu.requests).toHaveLength(1);
  });
});

describe('clock skew', () => {
  // The Date header has whole seconds, so the reported skew may be one second either side.
  it.each([
    [600, 'your clock is (599|600|601) s behind the server\'s'],
    [-900, 'your clock is (899|900|901) s ahead of the server\'s'],
  ])('server %i s off: re-signs once with its Date, says by how much, succeeds', async (offset, says) => {
    const peer: ApiPeer = await startApiPeer({ clockOffsetSeconds: offset });
    closers.push(() => peer.close());
    const run = await tcss(set, {}, peer.url);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^warning: ${says} \\(by its Date header\\)`, 'm'));
    expect(peer.requests).toHaveLength(2);
    expect(peer.requests[0]?.errorCode).toBe('AuthFailure.SignatureExpire');
    expect(peer.requests[1]?.errorCode).toBeUndefined();
    expect(Math.abs((peer.requests[1]?.timestamp ?? 0) - (peer.requests[0]?.timestamp ?? 0) - offset)).toBeLessThanOrEqual(2);
  });

  it('the emulator with a skewed clock: its Date header lets tcss correct and succeed', async () => {
    const skewed = await startTestEmulator({ clockOffsetSeconds: 720 });
    closers.push(() => skewed.close());
    const run = await tcss(set, {}, skewed.url);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^warning: your clock is 7(19|20|21) s behind the server's/m);
    expect(skewed.requests.map((r) => r.errorCode)).toEqual(['AuthFailure.SignatureExpire', undefined]);
  });

  it('a corrected request that is refused again: exit 3 with the "refused too" hint, two requests', async () => {
    const skewed = await startTestEmulator({ clockOffsetSeconds: 720 });
    closers.push(() => skewed.close());
    skewed.injectFault({ kind: 'api-error', code: 'AuthFailure.SignatureExpire', times: 2 });
    const run = await tcss(get, {}, skewed.url);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("and the request signed with the server's time was refused too: fix this machine's clock");
    expect(skewed.requests).toHaveLength(2);
  });

  it('a SignatureExpire while the clocks agree: no re-sign, a hint that the clock is not the cause', async () => {
    emu.injectFault({ kind: 'api-error', code: 'AuthFailure.SignatureExpire' });
    const run = await tcss(get);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).not.toContain('signing once more');
    expect(run.stderr).toMatch(/hint: your clock (agrees with the server's to within a second|is 1 s (behind|ahead of) the server's) \(by its Date header\), so the clock is not the cause/);
    expect(emu.requests).toHaveLength(1);
  });

  it('without a Date header it cannot correct: exit 3 with the clock hint, one request', async () => {
    const peer = await startApiPeer({ clockOffsetSeconds: 600, noDate: true });
    closers.push(() => peer.close());
    const run = await tcss(get, {}, peer.url);
    expect(run.exitCode).toBe(3);
    expect(errorLine(run)).toMatch(/^Error \[AuthFailure\.SignatureExpire\]/);
    expect(run.stderr).toContain("hint: the request timestamp is more than 5 minutes off the server's");
    expect(peer.requests).toHaveLength(1);
  });
});

describe('TLS', () => {
  async function httpsPeer(leaf: { key: string; cert: string }): Promise<ApiPeer> {
    const peer = await startApiPeer({ tls: leaf });
    closers.push(() => peer.close());
    return peer;
  }

  it('a certificate from an unknown CA: exit 4 with the reason, not retried; NODE_EXTRA_CA_CERTS fixes it', async () => {
    const peer = await httpsPeer(await ca.leaf());
    const run = await tcss(get, {}, peer.url);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(
      `Error [Network.TLS]: TLS failed for 127.0.0.1:${peer.port}: its certificate is signed by a CA this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    );
    expect(run.stderr).toContain('hint: if a proxy or private CA signs the connection, add its certificate with NODE_EXTRA_CA_CERTS=FILE');
    expect(peer.requests).toHaveLength(0);
    expect(peer.tlsErrors).toBe(1);

    const trusted = await tcss(get, { NODE_EXTRA_CA_CERTS: ca.caPath }, peer.url);
    expect(trusted.exitCode).toBe(0);
    expect(trusted.stdout).toContain('RequestId');
    expect(peer.requests).toHaveLength(1);
  });

  it.each([
    ['expired', { expired: true }, 'its certificate has expired (CERT_HAS_EXPIRED)'],
    ['for another host', { altNames: 'DNS:other.example' }, 'its certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)'],
  ])('a certificate %s: exit 4 with the reason', async (_name, options, reason) => {
    const peer = await httpsPeer(await ca.leaf(options));
    const run = await tcss(get, { NODE_EXTRA_CA_CERTS: ca.caPath }, peer.url);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(`Error [Network.TLS]: TLS failed for 127.0.0.1:${peer.port}: ${reason}`);
    expect(peer.requests).toHaveLength(0);
  });

  it('a self-signed certificate: exit 4 with the reason', async () => {
    const peer = await httpsPeer(await ca.selfSigned());
    const run = await tcss(get, {}, peer.url);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toContain('its certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });
});

describe('proxies', () => {
  async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
    const p = await startConnectProxy(options);
    closers.push(() => p.close());
    return p;
  }

  // Loopback traffic never goes through a proxy: the API stands behind a name (tcss.test, which the test proxy
  // tunnels to 127.0.0.1) with a certificate from the test CA.
  let remote: ApiPeer;
  let endpoint: string;
  let target: string;
  beforeAll(async () => {
    remote = await startApiPeer({ tls: await ca.leaf({ altNames: 'DNS:tcss.test,IP:127.0.0.1,DNS:localhost' }) });
    endpoint = `https://tcss.test:${remote.port}`;
    target = `tcss.test:${remote.port}`;
  });
  afterAll(async () => {
    await remote.close();
  });
  afterEach(() => {
    remote.requests.length = 0;
  });
  const viaProxy = (args: string[], env: Record<string, string> = {}): Promise<Run> => tcss(args, { NODE_EXTRA_CA_CERTS: ca.caPath, ...env }, endpoint);

  it('--proxy tunnels through a CONNECT proxy', async () => {
    const p = await proxy();
    const run = await viaProxy([...set, '--proxy', p.url, '--debug']);
    expect(run.exitCode).toBe(0);
    expect(p.connects).toEqual([{ target, authorized: true }]);
    expect(remote.requests).toHaveLength(1);
    expect(run.stderr).toContain(`debug: proxy http://127.0.0.1:${p.port} (from --proxy)`);
  });

  it('an https:// proxy, by IP address or by name: TLS to the proxy checked against the CA, and no Node warning', async () => {
    const p = await proxy({ tls: await ca.leaf() });
    const run = await viaProxy([...set, '--proxy', p.url]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(p.connects).toEqual([{ target, authorized: true }]);
    // By name, the name is sent and checked (the certificate is for localhost and 127.0.0.1).
    const named = await viaProxy([...set, '--proxy', p.url.replace('127.0.0.1', 'localhost')]);
    expect(named.stderr).toBe('');
    expect(named.exitCode).toBe(0);
    expect(p.connects).toHaveLength(2);
    // Without the CA, the proxy's certificate is not trusted.
    const untrusted = await tcss([...set, '--proxy', p.url, '--retries', '0'], {}, endpoint);
    expect(untrusted.exitCode).toBe(4);
    expect(errorLine(untrusted)).toContain('Network.TLS');
  });

  it('HTTPS_PROXY (upper or lower case) carries an https:// endpoint through the tunnel, with NODE_EXTRA_CA_CERTS', async () => {
    const p = await proxy();
    for (const name of ['HTTPS_PROXY', 'https_proxy']) {
      const run = await viaProxy(get, { [name]: p.url });
      expect(run.exitCode).toBe(0);
    }
    expect(p.connects.map((c) => c.target)).toEqual([target, target]);
    expect(remote.requests).toHaveLength(2);
  });

  it('never carries loopback traffic: HTTP_PROXY, HTTPS_PROXY and --proxy leave http://127.0.0.1 direct', async () => {
    const p = await proxy();
    expect((await tcss(get, { HTTP_PROXY: p.url, HTTPS_PROXY: p.url })).exitCode).toBe(0);
    expect((await tcss([...get, '--proxy', p.url])).exitCode).toBe(0);
    expect(p.connects).toHaveLength(0);
    expect(p.plainRequests).toBe(0);
    expect(emu.requests).toHaveLength(2);
  });

  it('NO_PROXY sends a request direct', async () => {
    const p = await proxy();
    // tcss.test has no address: direct, it fails to resolve, which shows the proxy was passed by.
    const run = await viaProxy([...get, '--retries', '0'], { HTTPS_PROXY: p.url, NO_PROXY: 'example.com, .test' });
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toMatch(/Network\.DNS|cannot resolve tcss\.test/);
    expect(p.connects).toHaveLength(0);
  });

  it('--proxy wins over the environment', async () => {
    const p = await proxy();
    const dead = await startConnectProxy();
    const deadUrl = dead.url;
    await dead.close();
    const run = await viaProxy([...get, '--proxy', p.url], { HTTPS_PROXY: deadUrl, NO_PROXY: '*' });
    expect(run.exitCode).toBe(0);
    expect(p.connects).toHaveLength(1);
  });

  it('proxy credentials are sent to the proxy and never printed', async () => {
    const p = await proxy({ credentials: 'alice:pr0xy-s3cret' });
    const run = await viaProxy([...get, '--debug', '--proxy', `http://alice:pr0xy-s3cret@127.0.0.1:${p.port}`]);
    expect(run.exitCode).toBe(0);
    expect(p.connects[0]?.authorized).toBe(true);
    expect(run.stderr).toContain(`debug: proxy http://***@127.0.0.1:${p.port} (from --proxy)`);
    expect(run.stdout + run.stderr).not.toContain('pr0xy-s3cret');
    expect(run.stdout + run.stderr).not.toContain('alice');
  });

  it('wrong proxy credentials: exit 4 with the proxy status, one CONNECT, credentials not printed', async () => {
    const p = await proxy({ credentials: 'alice:right' });
    const run = await viaProxy(get, { HTTPS_PROXY: `http://alice:wr0ng-pass@127.0.0.1:${p.port}` });
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(`Error [Network.Proxy]: the proxy http://***@127.0.0.1:${p.port} answered HTTP 407 to CONNECT ${target}`);
    expect(run.stderr).toContain('hint: the proxy wants credentials');
    expect(run.stderr).not.toContain('wr0ng-pass');
    expect(p.connects).toHaveLength(1);
    expect(remote.requests).toHaveLength(0);
  });

  it('a proxy that is down: exit 4 naming the proxy, retried', async () => {
    const dead = await startConnectProxy();
    await dead.close();
    const run = await viaProxy([...get, '--proxy', dead.url]);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toBe(`Error [Network.Refused]: the proxy http://127.0.0.1:${dead.port} refused the connection; gave up after 3 attempts`);
  });

  it.each([
    [['--proxy', 'socks5://127.0.0.1:1080'], {}, '--proxy "socks5://127.0.0.1:1080" is not supported: use an http:// or https:// proxy URL'],
    [['--proxy', 'ftp://u:hunter22@127.0.0.1:21'], {}, '--proxy "ftp://***@127.0.0.1" is not supported'],
    [[], { HTTPS_PROXY: 'socks://127.0.0.1:1080', TCSS_ENDPOINT: 'https://tcss.test:1' }, 'HTTPS_PROXY "socks://127.0.0.1:1080" is not supported'],
  ])('a proxy URL that is not http(s) (%j %j): exit 2, nothing sent', async (args, env, message) => {
    const run = await tcss([...get, ...args], env);
    expect(run.exitCode).toBe(2);
    expect(errorLine(run)).toContain(message);
    expect(run.stderr).not.toContain('hunter22');
    expect(emu.requests).toHaveLength(0);
  });

  it('waits for a slow CONNECT no longer than --timeout', async () => {
    // A "proxy" that accepts the connection and never answers CONNECT.
    const { createServer } = await import('node:net');
    const held: Array<{ destroy(): void }> = [];
    const silent = createServer((socket) => void held.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of held) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const run = await viaProxy([...get, '--proxy', `http://127.0.0.1:${port}`, '--timeout', '0.5', '--retries', '0']);
    expect(run.exitCode).toBe(4);
    expect(errorLine(run)).toContain('Network.Timeout');
    expect(run.ms).toBeLessThan(500 + 2000);
  });
});

describe('a Describe answer with no settings in it', () => {
  it('only a RequestId: exit 4 (Network.BadResponse), never a table of blanks; plain set writes nothing', async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers['x-tc-action']));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"Response":{"RequestId":"0f9a3c1e-2b4d-4e6f-8a1b-3c5d7e9f0a2b"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const tmp = await makeTempHome();
    try {
      const env = { TENCENTCLOUD_SECRET_ID: 'AKIDonlyRequestId0000001', TENCENTCLOUD_SECRET_KEY: 'onlyRequestIdKey0123456789' };
      for (const args of [['image-scan', 'get'], ['image-scan', 'set', '--enable', '--scan-time', '01:00']]) {
        const run = await runTcss(['--endpoint', `http://127.0.0.1:${port}`, '--retries', '0', ...args], { home: tmp.dir, env });
        expect(run.exitCode).toBe(4);
        expect(run.stdout).toBe('');
        expect(run.stderr.split('\n')[0]).toBe(
          'Error [Network.BadResponse]: the DescribeAssetImageScanSetting answer holds no settings, only a RequestId, so it is not a valid answer from the API',
        );
      }
      expect(seen).toEqual(['DescribeAssetImageScanSetting', 'DescribeAssetImageScanSetting']);
    } finally {
      server.close();
      await tmp.cleanup();
    }
  });
});

describe('--endpoint HOST:PORT in front of a plain-HTTP server', () => {
  it('the TLS failure suggests http://, not a certificate', async () => {
    const hostPort = new URL(emu.url).host;
    const run = await tcss([...get, '--retries', '0'], {}, hostPort);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toBe(
      `Error [Network.TLS]: TLS failed for ${hostPort}: it does not speak TLS on that port (a plain http:// server?)\n` +
        `hint: the server there seems to speak plain HTTP (as the local emulator does): use --endpoint http://${hostPort}\n`,
    );
  });
});
