// `npm run bench`: whole-process start-up and one-call benchmark, side by side in one run.
//
// Every command is a fresh `node` process. Rounds are interleaved (each round runs every command once, in a
// rotating order) so that machine drift hits all commands alike. Wall time is measured with process.hrtime
// from spawn to exit. Peak RSS comes from separate runs under `/usr/bin/time -f %M` (the child's ru_maxrss,
// reported by wait4); without /usr/bin/time, from process.resourceUsage().maxRSS read in the child's 'exit'
// handler through a small --import probe. The API calls go to the local emulator on 127.0.0.1
// (`tcss emulator --port 0`, spawned from the same build).
//
// Options (flags or env): --runs N (BENCH_RUNS, 40), --warmup N (BENCH_WARMUP, 5), --rss-runs N
// (BENCH_RSS_RUNS, 5), --only a,b (names), --json FILE (default bench/results/latest.json), --check (exit 1
// when the budget is not met), --node PATH (BENCH_NODE: run every command, node -e 0 and the floor included,
// with this Node binary), --tcss PATH (BENCH_TCSS: time this tcss, e.g. an installed package's bin/tcss.js,
// instead of the checkout's).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import emulatorProcess from '../scripts/emulator-process.cjs';

const { startEmulatorProcess } = emulatorProcess;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHECKOUT_BIN = join(ROOT, 'bin', 'tcss.js');
// BENCH_TIME_BIN=/nonexistent forces the fallback RSS method.
const TIME = process.env.BENCH_TIME_BIN ?? '/usr/bin/time';

const USAGE = `usage: npm run bench -- [--runs N] [--warmup N] [--rss-runs N] [--only KEY,KEY] [--json FILE] [--check] [--node PATH] [--tcss PATH]
  --runs N       counted runs per command (default 40; env BENCH_RUNS)
  --warmup N     warm-up runs per command (default 5; env BENCH_WARMUP)
  --rss-runs N   runs for peak RSS (default 5; env BENCH_RSS_RUNS)
  --only K,K     only these commands by key (sdk, version, help, set, set-read, dry-run, get; node and floor always run)
  --json FILE    where to write the figures (default bench/results/latest.json)
  --check        exit 1 when a budget line fails
  --node PATH    run every command with this Node binary (default the one running this script; env BENCH_NODE)
  --tcss PATH    the tcss to time, a bin/tcss.js (default the checkout's; env BENCH_TCSS)`;
let flags;
try {
  ({ values: flags } = parseArgs({
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      'rss-runs': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      check: { type: 'boolean' },
      node: { type: 'string' },
      tcss: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`bench: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (value, fallback) => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench: not a whole number: ${value}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const RUNS = Math.max(1, int(flags.runs ?? process.env.BENCH_RUNS, 40));
const WARMUP = int(flags.warmup ?? process.env.BENCH_WARMUP, 5);
const RSS_RUNS = Math.max(1, int(flags['rss-runs'] ?? process.env.BENCH_RSS_RUNS, 5));
const JSON_PATH = flags.json ?? join(ROOT, 'bench', 'results', 'latest.json');
const NODE = resolve(flags.node ?? process.env.BENCH_NODE ?? process.execPath);
const BIN = resolve(flags.tcss ?? process.env.BENCH_TCSS ?? CHECKOUT_BIN);
let NODE_VERSION;
try {
  NODE_VERSION = execFileSync(NODE, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
} catch (error) {
  console.error(`bench: cannot run ${NODE}: ${error.message}`);
  process.exit(2);
}
/** `image-scan set` against the floor: 1.3× on Node 20, 1.15× on later Nodes. */
const SET_LIMIT = Number(NODE_VERSION.slice(1).split('.')[0]) <= 20 ? 1.3 : 1.15;

// Throwaway key pair, accepted by the emulator this script starts; never a real credential.
const SECRET_ID = 'AKIDbench0000000000000000000000000000';
const SECRET_KEY = 'benchSecretKey0000000000000000000';

/** Spawns a command and resolves with its exit code, wall time in ms, stdout and stderr. */
function runOnce(command, args, env) {
  return new Promise((resolve, reject) => {
    const out = [];
    const err = [];
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Output may still be in the pipes when 'exit' fires; wait for 'close' to read it, not to time it.
      child.on('close', () => resolve({ code: code ?? (signal ? 128 : 1), ms, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    });
  });
}

/**
 * A 95% interval for median(a) / median(b) of interleaved runs: the rounds resampled with replacement (each
 * round keeps its pair), 2000 times, with a fixed seed so that the same figures give the same interval. It says
 * how far one run's ratio can be trusted on a noisy machine; the budget line itself is the ratio of medians.
 */
function ratioInterval(a, b, rounds = 2000) {
  let seed = 0x9e3779b9;
  const random = () => {
    // xorshift32: reproducible, good enough to resample.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const pick = Array.from(a, () => Math.floor(random() * a.length));
    ratios.push(median(pick.map((j) => a[j])) / median(pick.map((j) => b[j])));
  }
  ratios.sort((x, y) => x - y);
  return [ratios[Math.floor(rounds * 0.025)], ratios[Math.ceil(rounds * 0.975) - 1]];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  const home = await mkdtemp(join(tmpdir(), 'tcss-bench-'));
  const baseEnv = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', XDG_CONFIG_HOME: join(home, '.config') };
  const emulator = await startEmulatorProcess({ env: baseEnv, secretId: SECRET_ID, secretKey: SECRET_KEY });
  const env = { ...baseEnv, TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY, BENCH_ENDPOINT: emulator.url };
  const node = NODE;
  const endpoint = ['--endpoint', emulator.url];
  // The budget is for --replace (one request, like the floor); a plain set reads the current settings first,
  // one Describe round trip more, shown on its own row.
  const setArgs = ['image-scan', 'set', '--replace', '--enable', '--scan-time', '01:00', ...endpoint];
  const readSetArgs = ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--scan-vul', ...endpoint];
  const all = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'floor (TC3 + node:http)', key: 'floor', args: [join(ROOT, 'bench', 'floor.mjs')], expect: /RequestId/ },
    { name: 'official SDK CommonClient', key: 'sdk', args: [join(ROOT, 'bench', 'sdk.mjs')], expect: /RequestId/ },
    { name: 'tcss --version', key: 'version', args: [BIN, '--version'], expect: /^\d+\.\d+\.\d+/ },
    { name: 'tcss --help', key: 'help', args: [BIN, '--help'], expect: /Usage: tcss/ },
    { name: 'tcss image-scan set --replace', key: 'set', args: [BIN, ...setArgs], expect: /^\S+\n$/ },
    { name: 'tcss image-scan set (reads first)', key: 'set-read', args: [BIN, ...readSetArgs], expect: /^\S+\n$/ },
    { name: 'tcss image-scan set --replace --dry-run', key: 'dry-run', args: [BIN, ...setArgs, '--dry-run'], expect: /CreateAssetImageScanSetting/ },
    { name: 'tcss image-scan get', key: 'get', args: [BIN, 'image-scan', 'get', ...endpoint], expect: /RequestId|Scan/ },
  ].map((c) => ({ ...c, key: c.key ?? 'node', times: [], rss: [] }));
  const only = flags.only?.split(',').map((s) => s.trim());
  const commands = only ? all.filter((c) => only.includes(c.key) || c.key === 'node' || c.key === 'floor') : all;

  const rssProbe = join(ROOT, 'bench', 'rss-probe.mjs');
  const useTime = existsSync(TIME);
  const rssMethod = useTime ? '/usr/bin/time -f %M (ru_maxrss of the child)' : "process.resourceUsage().maxRSS in the child's 'exit' handler (--import bench/rss-probe.mjs)";

  const check = (c, r) => {
    if (r.code !== 0 || (c.expect && !c.expect.test(r.stdout))) {
      throw new Error(`${c.name} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
  };
  const total = WARMUP + RUNS;
  process.stderr.write(`bench: ${commands.length} commands × (${WARMUP} warm-up + ${RUNS} counted + ${RSS_RUNS} RSS runs), emulator at ${emulator.url}\n`);
  try {
    for (let round = 0; round < total + RSS_RUNS; round++) {
      const order = commands.map((_, i) => commands[(i + round) % commands.length]);
      for (const c of order) {
        if (round < total) {
          const r = await runOnce(node, c.args, env);
          check(c, r);
          if (round >= WARMUP) c.times.push(r.ms);
        } else if (useTime) {
          const r = await runOnce(TIME, ['-f', '%M', node, ...c.args], env);
          check(c, r);
          const kb = Number(r.stderr.trim().split('\n').at(-1));
          c.rss.push(kb / 1024);
        } else {
          const r = await runOnce(node, ['--import', rssProbe, ...c.args], { ...env, BENCH_RSS_FD: '2' });
          check(c, r);
          const m = /bench-rss-kb (\d+)/.exec(r.stderr);
          c.rss.push(Number(m?.[1]) / 1024);
        }
      }
      process.stderr.write(round + 1 < total + RSS_RUNS ? '.' : '\n');
    }
  } finally {
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }

  const base = commands.find((c) => c.key === 'node');
  const floor = commands.find((c) => c.key === 'floor');
  const pairedRatio = (a, b) => median(a.times.map((t, i) => t / b.times[i]));
  const rows = commands.map((c) => ({
    name: c.name,
    key: c.key,
    medianMs: median(c.times),
    p90Ms: percentile(c.times, 90),
    minMs: Math.min(...c.times),
    vsNode: median(c.times) / median(base.times),
    vsFloor: median(c.times) / median(floor.times),
    pairedVsNode: pairedRatio(c, base),
    pairedVsFloor: pairedRatio(c, floor),
    rssMb: median(c.rss),
    rssVsFloor: median(c.rss) / median(floor.rss),
    timesMs: c.times,
    rssSamplesMb: c.rss,
  }));
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  const budget = [];
  if (by.set) {
    const ci = ratioInterval(by.set.timesMs, by.floor.timesMs);
    budget.push({
      rule: `image-scan set --replace ≤ ${SET_LIMIT}× floor`,
      value: by.set.vsFloor,
      limit: SET_LIMIT,
      ok: by.set.vsFloor <= SET_LIMIT,
      ci,
      note: `95% CI ${ci[0].toFixed(2)}–${ci[1].toFixed(2)} over the rounds; paired ${by.set.pairedVsFloor.toFixed(2)}`,
    });
    budget.push({ rule: 'image-scan set --replace peak RSS ≤ 1.3× floor', value: by.set.rssVsFloor, limit: 1.3, ok: by.set.rssVsFloor <= 1.3 });
    if (by.sdk) budget.push({ rule: 'image-scan set faster than the official SDK', value: by.set.medianMs / by.sdk.medianMs, limit: 1, ok: by.set.medianMs < by.sdk.medianMs });
  }
  for (const k of ['version', 'help']) {
    if (by[k]) budget.push({ rule: `tcss --${k} ≤ 1.25× node -e 0`, value: by[k].vsNode, limit: 1.25, ok: by[k].vsNode <= 1.25 });
  }

  const f = (x, d = 0) => x.toFixed(d);
  const header = ['command', 'median ms', 'p90 ms', '× node -e 0', '× floor', 'peak RSS MB', 'RSS × floor'];
  const table = rows.map((r) => [r.name, f(r.medianMs), f(r.p90Ms), f(r.vsNode, 2), f(r.vsFloor, 2), f(r.rssMb, 1), f(r.rssVsFloor, 2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of table) console.log(line(row));
  console.log('');
  for (const b of budget) console.log(`${b.ok ? 'ok  ' : 'FAIL'} ${b.rule}: ${f(b.value, 2)}${b.note ? ` (${b.note})` : ''}`);
  console.log(`\nnode ${NODE_VERSION}${BIN === CHECKOUT_BIN ? '' : `, tcss ${BIN}`}, ${cpus().length} CPUs, ${RUNS} counted runs after ${WARMUP} warm-up (interleaved), peak RSS: median of ${RSS_RUNS} via ${rssMethod}`);

  const result = {
    date: new Date().toISOString(),
    node: NODE_VERSION,
    tcss: BIN === CHECKOUT_BIN ? 'bin/tcss.js' : BIN,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    runs: RUNS,
    warmup: WARMUP,
    rssRuns: RSS_RUNS,
    rssMethod,
    commands: rows.map((r) => ({ ...r, command: commands.find((c) => c.key === r.key).args.map((a) => a.replace(ROOT, '')).join(' ') })),
    budget,
  };
  await mkdir(dirname(JSON_PATH), { recursive: true });
  await writeFile(JSON_PATH, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`figures written to ${JSON_PATH.replace(ROOT, '')}`);
  if (flags.check && budget.some((b) => !b.ok)) process.exitCode = 1;
}

await main();
