/**
 * `tcss image-scan apply` / `diff` end to end: the built binary against the emulator, several
 * profiles (tccli and SDK files) in a temporary HOME, each profile a separate emulator account.
 */
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

const ACCOUNTS = {
  prod: { secretId: 'AKIDPROD000000000000000000000000', secretKey: 'prodSecretKey0000000000000000000' },
  staging: { secretId: 'AKIDSTAGING00000000000000000000', secretKey: 'stagingSecretKey000000000000000' },
  qa: { secretId: 'AKIDQA0000000000000000000000000', secretKey: 'qaSecretKey00000000000000000000' },
};
const WRONG_KEY = 'wrongSecretKey0000000000000000000';
const SECRETS = [...Object.values(ACCOUNTS).map((a) => a.secretKey), WRONG_KEY];
const CREATE = 'CreateAssetImageScanSetting';
const DESCRIBE = 'DescribeAssetImageScanSetting';

const POLICY_YAML = `# scan policy
enable: true
scanTime: "02:30:00"
scanPeriod: 7
excludeImages: [sha256:bbb, sha256:aaa, sha256:aaa]
`;

let emu: Emulator;
let home: TempHome;
const outputs: string[] = [];

beforeEach(async () => {
  emu = await startEmulator({ port: 0, accounts: Object.values(ACCOUNTS) });
  home = await makeTempHome();
  // prod and qa as tccli profiles; staging, and "broken" (staging's id with a wrong key), in the SDK file.
  await home.tccli('prod', { secretId: ACCOUNTS.prod.secretId, secretKey: ACCOUNTS.prod.secretKey });
  await home.tccli('qa', { secretId: ACCOUNTS.qa.secretId, secretKey: ACCOUNTS.qa.secretKey });
  await home.sdkIni({
    staging: { secret_id: ACCOUNTS.staging.secretId, secret_key: ACCOUNTS.staging.secretKey },
    broken: { secret_id: ACCOUNTS.staging.secretId, secret_key: WRONG_KEY },
  });
  await home.file('policy.yaml', POLICY_YAML);
  await home.file('policy.json', JSON.stringify({ enable: true, scanTime: '02:30', scanPeriod: 7, excludeImages: ['sha256:aaa', 'sha256:bbb'] }));
});

afterEach(async () => {
  await emu.close();
  await home.cleanup();
  // No secret key ever reaches any output.
  for (const text of outputs.splice(0)) for (const secret of SECRETS) expect(text).not.toContain(secret);
});

async function tcss(args: string[], env: Record<string, string> = {}) {
  const result = await runTcss(args, { home: home.dir, env: { TCSS_ENDPOINT: emu.url, ...env } });
  outputs.push(result.stdout, result.stderr);
  return result;
}

const actions = () => emu.requests.map((r) => `${r.action} ${r.secretId}`);

describe('tcss image-scan apply, one account', () => {
  it('scanEndTime: null in a policy brings an account with an end time back to none', async () => {
    const set = await tcss(['--profile', 'prod', 'image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-end-time', '05:00', '--scan-vul']);
    expect(set.exitCode).toBe(0);
    await home.file('clear.yaml', 'scanEndTime: null\nexcludeImages: []\n');
    const apply = await tcss(['--profile', 'prod', 'image-scan', 'apply', '-f', 'clear.yaml', '--yes']);
    expect(apply.exitCode).toBe(0);
    expect(apply.stdout).toMatch(/~ scanEndTime\s+05:00 → \(unset\)/);
    const body = JSON.parse(emu.requests.filter((r) => r.action === CREATE).at(-1)?.body ?? '') as Record<string, unknown>;
    expect(body).not.toHaveProperty('ScanEndTime');
    expect(emu.settingsOf(ACCOUNTS.prod.secretId)).toMatchObject({ ScanEndTime: '', Enable: true, ScanTime: '01:00:00' });
    const again = await tcss(['--profile', 'prod', 'image-scan', 'diff', '-f', 'clear.yaml']);
    expect(again.exitCode).toBe(0);
  });

  it('applies, then a second apply of the same file sends no Create and says "no changes"', async () => {
    const first = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'prod']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('policy.yaml → prod\n');
    expect(first.stdout).toContain('  ~ scanTime          00:00 → 02:30\n');
    expect(first.stdout).toContain('  ~ excludeImages     [] → [sha256:bbb, sha256:aaa]\n');
    expect(first.stdout).toContain('    scanVirus         false  (kept: not in policy.yaml)\n');
    expect(first.stdout).toMatch(/^✔ Applied 4 changes to prod \(RequestId [0-9a-f-]{36}\)$/m);
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.prod.secretId}`, `${CREATE} ${ACCOUNTS.prod.secretId}`]);
    // The write carried the full settings: the file's values and the account's current ones for the rest.
    expect(JSON.parse(emu.requests[1]!.body)).toEqual({
      Enable: true, ScanTime: '02:30', ScanPeriod: 7, ScanVirus: false, ScanRisk: false, ScanVul: false,
      ContainerRunning: false, ScanScope: 0, Images: [], ExcludeImages: ['sha256:bbb', 'sha256:aaa'], ClusterIDs: [],
    });
    expect(emu.settingsOf(ACCOUNTS.staging.secretId)).toBeUndefined();

    emu.resetRequests();
    // The JSON file spells the same policy differently (no seconds, other list order): still no change.
    const second = await tcss(['image-scan', 'apply', '-f', 'policy.json', '--profile', 'prod']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^✔ No changes: prod already matches policy\.json \(RequestId [0-9a-f-]{36}\)$/m);
    expect(second.stdout).toContain('  = scanTime          02:30\n');
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.prod.secretId}`]);
  });

  it('--check and diff exit 5 on drift and change nothing, then 0 once applied', async () => {
    const check = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--check', '--profile', 'qa']);
    expect(check.exitCode).toBe(5);
    expect(check.stdout).toMatch(/^✖ Drift: 4 settings of qa differ from policy\.yaml/m);
    await home.file('one.yaml', 'scanPeriod: 7\n');
    const one = await tcss(['image-scan', 'diff', '-f', 'one.yaml', '--profile', 'qa']);
    expect(one.exitCode).toBe(5);
    expect(one.stdout).toMatch(/^✖ Drift: 1 setting of qa differs from one\.yaml \(RequestId [0-9a-f-]{36}\)$/m);
    const diff = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profile', 'qa']);
    expect(diff.exitCode).toBe(5);
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.qa.secretId}`, `${DESCRIBE} ${ACCOUNTS.qa.secretId}`, `${DESCRIBE} ${ACCOUNTS.qa.secretId}`]);

    expect((await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'qa'])).exitCode).toBe(0);
    const after = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profile', 'qa']);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toMatch(/No changes: qa already matches policy\.yaml/);
  });

  it('--dry-run reads the settings and prints the Create instead of sending it', async () => {
    const result = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'prod', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('X-TC-Action: CreateAssetImageScanSetting\n');
    expect(result.stdout).toContain('Signature=<redacted>');
    expect(result.stdout).toContain('"ScanTime":"02:30","ScanPeriod":7');
    expect(result.stderr).toContain('dry run: nothing was changed');
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.prod.secretId}`]);
  });

  it('uses the environment keys without a profile; a bad file exits 2 and sends nothing', async () => {
    const env = { TENCENTCLOUD_SECRET_ID: ACCOUNTS.qa.secretId, TENCENTCLOUD_SECRET_KEY: ACCOUNTS.qa.secretKey };
    const ok = await tcss(['image-scan', 'apply', '-f', 'policy.yaml'], env);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/Applied 4 changes to env/);
    emu.resetRequests();
    await home.file('bad.yaml', 'enable: true\nscanTime: "24:00"\n');
    const bad = await tcss(['image-scan', 'apply', '-f', 'bad.yaml', '--all-profiles'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('Error [Policy.InvalidValue]: the value "24:00" of "scanTime" in bad.yaml is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)\n');
    const conflict = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'qa', '--profiles', 'prod']);
    expect(conflict.exitCode).toBe(2);
    expect(emu.requests).toEqual([]);
  });

  it('a failing account in a single-account run is an ordinary error with its exit code', async () => {
    const result = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'broken']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^Error \[AuthFailure\.SignatureFailure\]: .*\(RequestId [0-9a-f-]{36}\)\nhint: /);
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.staging.secretId}`]);
  });
  it('--output json: a failing account still gives the plan document on stdout, the exit code kept', async () => {
    type Doc = { command: string; mode: string; exitCode: number; summary: object; accounts: Array<{ account: string; outcome: string; exitCode: number; changes?: object[]; write?: { applied: boolean }; error?: { code: string } }> };
    const read = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'broken', '--output', 'json']);
    expect(read.exitCode).toBe(3);
    expect(read.stderr).toBe('');
    const doc = JSON.parse(read.stdout) as Doc;
    expect(doc).toMatchObject({ command: 'apply', mode: 'apply', exitCode: 3, summary: { failed: 1 } });
    expect(doc.accounts).toHaveLength(1);
    expect(doc.accounts[0]).toMatchObject({ account: 'broken', outcome: 'failed', exitCode: 3, error: { code: 'AuthFailure.SignatureFailure' } });

    // The write fails: the plan is there, not applied.
    emu.injectFault({ kind: 'api-error', code: 'UnauthorizedOperation', action: CREATE });
    const write = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'prod', '--output', 'json']);
    expect(write.exitCode).toBe(3);
    expect(write.stderr).toBe('');
    const written = JSON.parse(write.stdout) as Doc;
    expect(written.accounts[0]).toMatchObject({ account: 'prod', outcome: 'failed', exitCode: 3, write: { applied: false }, error: { code: 'UnauthorizedOperation' } });
    expect(written.accounts[0]!.changes).toHaveLength(4);

    // Missing credentials are the account's outcome too (exit 2), in the same document.
    const missing = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profile', 'nosuch', '--output', 'json']);
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ command: 'diff', exitCode: 2, accounts: [{ account: 'nosuch', outcome: 'failed', error: { code: 'Credentials.Missing' } }] });
  });
});

describe('tcss image-scan apply, many accounts', () => {
  it('partial failure: the others are applied, one line per account in CI, a table, exit = worst', async () => {
    const result = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', 'prod,broken', '--profiles', 'staging']);
    expect(result.exitCode).toBe(3);
    const lines = result.stdout.split('\n');
    const progress = lines.filter((l) => /^\[\d\/3\] /.test(l));
    expect(progress).toHaveLength(3);
    expect(progress.find((l) => l.includes('] broken: '))).toMatch(/broken: failed AuthFailure\.SignatureFailure: .* \(RequestId [0-9a-f-]{36}\)$/);
    expect(progress.find((l) => l.includes('] prod: '))).toMatch(/prod: changed \(enable false → true, scanTime 00:00 → 02:30, .*\) RequestId [0-9a-f-]{36}$/);
    const table = result.stdout.slice(result.stdout.indexOf('ACCOUNT'));
    expect(table.split('\n')[0]).toBe('ACCOUNT  OUTCOME  REQUESTID / ERROR');
    expect(table).toMatch(/^prod {5}changed {2}[0-9a-f-]{36}$/m);
    expect(table).toMatch(/^broken {3}failed {3}AuthFailure\.SignatureFailure: /m);
    expect(table).toMatch(/^staging {2}changed {2}[0-9a-f-]{36}$/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('3 accounts: 2 changed, 1 failed');
    expect(emu.settingsOf(ACCOUNTS.prod.secretId)).toMatchObject({ ScanTime: '02:30:00', ScanPeriod: 7 });
    expect(emu.settingsOf(ACCOUNTS.staging.secretId)).toMatchObject({ ScanTime: '02:30:00', ScanPeriod: 7 });
    expect(emu.requests.filter((r) => r.action === CREATE)).toHaveLength(2);
  });

  it('--all-profiles: every profile of both files; --output json gives the plan and the result', async () => {
    const first = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--all-profiles', '--output', 'json']);
    expect(first.exitCode).toBe(3);
    const doc = JSON.parse(first.stdout) as {
      command: string; mode: string; file: string; desired: object; exitCode: number; summary: object;
      accounts: Array<{ account: string; outcome: string; exitCode: number; changes?: object[]; write?: { applied: boolean; body: object }; requestId?: string; error?: { code: string } }>;
    };
    expect(doc).toMatchObject({
      command: 'apply', mode: 'apply', file: 'policy.yaml', exitCode: 3,
      desired: { enable: true, scanTime: '02:30', scanPeriod: 7, excludeImages: ['sha256:bbb', 'sha256:aaa'] },
      summary: { changed: 3, failed: 1 },
    });
    expect(doc.accounts.map((a) => [a.account, a.outcome, a.exitCode])).toEqual([
      ['broken', 'failed', 3], ['prod', 'changed', 0], ['qa', 'changed', 0], ['staging', 'changed', 0],
    ]);
    const prod = doc.accounts[1]!;
    expect(prod.changes).toContainEqual({ field: 'scanTime', current: '00:00', desired: '02:30' });
    expect(prod.write).toMatchObject({ applied: true, body: { ScanTime: '02:30', ScanPeriod: 7 } });
    expect(prod.requestId).toBe(emu.requests.find((r) => r.action === CREATE && r.secretId === ACCOUNTS.prod.secretId)!.requestId);
    expect(doc.accounts[0]!.error).toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    expect(first.stderr).toBe('');

    emu.resetRequests();
    const again = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,qa,staging', '--output', 'json']);
    expect(again.exitCode).toBe(0);
    const second = JSON.parse(again.stdout) as typeof doc;
    expect(second).toMatchObject({ command: 'diff', mode: 'check', exitCode: 0, summary: { unchanged: 3 } });
    expect(emu.requests.map((r) => r.action)).toEqual([DESCRIBE, DESCRIBE, DESCRIBE]);
  });

  it('drift in some accounts exits 5; a missing profile fails as 2; a network failure ranks worst', async () => {
    await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profile', 'prod']);
    const drift = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,qa']);
    expect(drift.exitCode).toBe(5);
    expect(drift.stdout).toMatch(/^\[\d\/2\] qa: drift \(/m);
    expect(drift.stdout.trimEnd().split('\n').at(-1)).toBe('2 accounts: 1 unchanged, 1 drift');

    const missing = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,nosuch,qa']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toMatch(/^nosuch +failed +Credentials\.Missing: no credentials found; looked in: ~\/\.tccli\/nosuch\.credential; /m);

    emu.resetRequests();
    emu.injectFault({ kind: 'status', status: 503, action: DESCRIBE });
    // --retries 0: the 503 would otherwise be retried and succeed.
    const network = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', 'qa,broken,nosuch', '--concurrency', '1', '--retries', '0']);
    expect(network.exitCode).toBe(4);
    expect(network.stdout).toMatch(/^qa +failed +Network\.BadStatus: /m);
    expect(network.stdout).toMatch(/^broken +failed +AuthFailure\.SignatureFailure: /m);
    expect(network.stdout.trimEnd().split('\n').at(-1)).toBe('3 accounts: 3 failed');
    expect(emu.requests.filter((r) => r.action === CREATE)).toEqual([]);
  });

  it('keeps its requests under the API rate limit with many accounts at once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const name of names) await home.tccli(name, { secretId: ACCOUNTS.qa.secretId, secretKey: ACCOUNTS.qa.secretKey });
    const result = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', names.join(','), '--concurrency', '16']);
    // 12 profiles of one account: one changes it, the rest may race; none is refused by the 20/s limit.
    expect(emu.requests.some((r) => r.errorCode?.startsWith('RequestLimitExceeded'))).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const times = emu.requests.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThan(20);
  });

  it('a problem with the whole run (TCSS_RETRY_BASE_MS, --proxy) is one usage error before anything is sent', async () => {
    const base = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--all-profiles'], { TCSS_RETRY_BASE_MS: 'abc' });
    expect(base.exitCode).toBe(2);
    expect(base.stdout).toBe('');
    expect(base.stderr).toBe('Error [Usage.InvalidValue]: TCSS_RETRY_BASE_MS "abc" is not valid: use whole milliseconds from 0 to 60000\n');
    const proxy = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', 'prod,qa', '--proxy', 'ftp://proxy.example', '--output', 'json']);
    expect(proxy.exitCode).toBe(2);
    expect(proxy.stdout).toBe('');
    expect(JSON.parse(proxy.stderr)).toMatchObject({ error: { code: 'Usage.InvalidValue' } });
    expect(emu.requests).toEqual([]);
  });

  it('retries wait for the shared rate limit too: RequestLimitExceeded answers never cause a burst', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const name of names) await home.tccli(name, { secretId: ACCOUNTS.qa.secretId, secretKey: ACCOUNTS.qa.secretKey });
    emu.injectFault({ kind: 'api-error', code: 'RequestLimitExceeded', times: 30 });
    // Retried at once (1 ms backoff base), so only the limiter spaces them.
    const result = await tcss(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', names.join(','), '--concurrency', '16', '--retries', '6'], {
      TCSS_RETRY_BASE_MS: '1',
    });
    const times = emu.requests.map((r) => r.at).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
    expect(busiest).toBeLessThan(20);
    // Retried, they all went through.
    expect(emu.requests.filter((r) => r.errorCode === 'RequestLimitExceeded')).toHaveLength(30);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  }, 20_000);
});

describe('a skewed clock across many accounts', () => {
  it('is learned once: one warning, one refused request, the other accounts signed with the offset', async () => {
    await emu.close();
    emu = await startEmulator({ port: 0, accounts: Object.values(ACCOUNTS), clockOffsetSeconds: 900 });
    const result = await tcss(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,qa,staging', '--concurrency', '1']);
    expect(result.exitCode).toBe(5);
    expect(result.stderr.match(/^warning: your clock is \d+ s behind the server's/gm)).toHaveLength(1);
    const refused = emu.requests.filter((r) => r.errorCode === 'AuthFailure.SignatureExpire');
    expect(refused).toHaveLength(1);
    expect(emu.requests.filter((r) => r.errorCode === undefined)).toHaveLength(3);
  });
});

describe('--file -', () => {
  it('reads the policy from standard input, YAML or JSON', async () => {
    const yaml = await runTcss(['image-scan', 'diff', '-f', '-', '--profile', 'prod'], { home: home.dir, env: { TCSS_ENDPOINT: emu.url }, input: POLICY_YAML });
    outputs.push(yaml.stdout, yaml.stderr);
    expect(yaml.exitCode).toBe(5);
    expect(yaml.stdout).toContain('(stdin)');
    const applied = await runTcss(['image-scan', 'apply', '-f', '-', '--profile', 'prod'], {
      home: home.dir,
      env: { TCSS_ENDPOINT: emu.url },
      input: JSON.stringify({ enable: true, scanTime: '02:30', scanPeriod: 7, excludeImages: ['sha256:aaa', 'sha256:bbb'] }),
    });
    outputs.push(applied.stdout, applied.stderr);
    expect(applied.exitCode).toBe(0);
    expect(actions()).toEqual([`${DESCRIBE} ${ACCOUNTS.prod.secretId}`, `${DESCRIBE} ${ACCOUNTS.prod.secretId}`, `${CREATE} ${ACCOUNTS.prod.secretId}`]);
    const again = await runTcss(['image-scan', 'diff', '-f', '-', '--profile', 'prod'], { home: home.dir, env: { TCSS_ENDPOINT: emu.url }, input: POLICY_YAML });
    outputs.push(again.stdout, again.stderr);
    expect(again.exitCode).toBe(0);
  });
});

describe('output into a reader that goes away', () => {
  /** tcss with its arguments, inside a bash command line that redirects its output (`"$0" "$@"` is node BIN …). */
  const inShell = (script: string, args: string[]) =>
    execa('bash', ['-c', script, BIN, ...args], { env: cleanEnv(home.dir, { TCSS_ENDPOINT: emu.url }), extendEnv: false, cwd: home.dir, reject: false });
  const WRITE_FAILED = 'Error [Output.WriteFailed]: could not write to standard output (ENOSPC); what the command printed is incomplete';

  it('keeps the exit code and finishes every account: drift piped into a closed pipe still exits 5; apply writes all', async () => {
    // `true` exits at once, so every write tcss makes meets a closed pipe (EPIPE); pipefail returns tcss's code.
    const piped = (args: string[]) => inShell('set -o pipefail; node "$0" "$@" | true', args);
    const drift = await piped(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,qa,staging']);
    expect(drift.stderr).toBe('');
    expect(drift.exitCode).toBe(5);
    const applied = await piped(['image-scan', 'apply', '-f', 'policy.yaml', '--profiles', 'prod,qa,staging', '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.exitCode).toBe(0);
    expect(emu.requests.filter((r) => r.action === CREATE)).toHaveLength(3);
    const after = await piped(['image-scan', 'diff', '-f', 'policy.yaml', '--profiles', 'prod,qa,staging']);
    expect(after.exitCode).toBe(0);
  });

  it('an output that fails (a full disk) is one error line and exit 1, never a stack trace', async () => {
    const full = await inShell('node "$0" "$@" > /dev/full', ['image-scan', 'diff', '-f', 'policy.yaml', '--profile', 'prod']);
    expect(full.exitCode).toBe(5);
    expect(full.stderr).toBe(WRITE_FAILED);
    const ok = await inShell('node "$0" "$@" > /dev/full', ['image-scan', 'get', '--profile', 'prod']);
    expect(ok.exitCode).toBe(1);
    expect(ok.stderr).toBe(WRITE_FAILED);
  });
});
