/**
 * A SignatureExpire answer corrects the clock only for a plausible skew: a server whose Date header is years off
 * (9999, 1970) is not signed with. The built binary against a real test peer whose clock is off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiPeer, type ApiPeer } from '../helpers/api-peer.js';
import { makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { ACCOUNT_A } from '../helpers/emulator-client.js';

const CREDS = { TENCENTCLOUD_SECRET_ID: ACCOUNT_A.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNT_A.secretKey };

let home: TempHome;
let peer: ApiPeer | undefined;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => {
  await peer?.close();
  peer = undefined;
  await home.cleanup();
});

describe('SignatureExpire with an implausible server Date', () => {
  it.each([
    ['year 9999', Date.UTC(9999, 5, 1, 12, 0, 0), '9999-06-01T12:00:00Z'],
    ['1970', Date.UTC(1970, 0, 1, 0, 0, 10), '1970-01-01T00:00:10Z'],
  ])('%s: no re-signing, exit 3, the server\'s clock is not usable', async (_name, serverMs, shown) => {
    peer = await startApiPeer({ clockOffsetSeconds: Math.ceil((serverMs - Date.now()) / 1000) });
    const result = await runTcss(['image-scan', 'get', '--endpoint', peer.url], { home: home.dir, env: CREDS });
    expect(result.exitCode).toBe(3);
    expect(result.stderr.split('\n')[0]).toMatch(/^Error \[AuthFailure\.SignatureExpire\]/);
    // To the minute: the peer's clock runs on while the binary starts.
    expect(result.stderr).toContain(`hint: the server's Date header says ${shown.slice(0, -4)}`);
    expect(result.stderr).toMatch(/\d\dZ, more than a day from this machine's clock: the server's clock is not usable, so tcss does not sign with it; check this machine's clock, and --endpoint\n/);
    expect(result.stderr).not.toContain('signing once more');
    expect(peer.requests).toHaveLength(1);
  });

  it('a plausible skew (10 minutes) is still corrected: signed once more with the server\'s time', async () => {
    peer = await startApiPeer({ clockOffsetSeconds: 600 });
    const result = await runTcss(['image-scan', 'get', '--endpoint', peer.url], { home: home.dir, env: CREDS });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('signing once more');
    expect(peer.requests).toHaveLength(2);
  });
});
