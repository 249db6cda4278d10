/**
 * Runs the built binary (or any command) in a real pseudo-terminal with Python's pty module (standard library,
 * always present), so prompts see a TTY on stdin and stdout. Two styles:
 * - spawnInPty: an interactive session; the test waits for prompt text, types keystrokes, reads the exit code.
 * - runInPty: a scripted list of wait-for/send steps; returns the transcript and the exit code (128 + signal).
 */
import { execa } from 'execa';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BIN, cleanEnv } from './cli.js';

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

export const KEY = {
  enter: '\r',
  up: '\u001b[A',
  down: '\u001b[B',
  space: ' ',
  backspace: '\u007f',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  escape: '\u001b',
} as const;

export interface PtyResult {
  code: number;
  /** Everything the terminal showed, escape sequences removed. */
  text: string;
  raw: string;
}

export interface PtySession {
  /** Waits until `pattern` shows after the previous match; fails with the screen so far after `timeoutMs`. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types keystrokes. */
  type(keys: string): void;
  /** Screen text so far. */
  text(): string;
  /** Waits for the process to end (killing it after `timeoutMs`). */
  exit(timeoutMs?: number): Promise<PtyResult>;
}

export interface PtyOptions {
  home: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** A shell command run in the same terminal after tcss ends (e.g. `stty -a`); the exit code stays tcss's. */
  after?: string;
}

export function spawnInPty(args: readonly string[], options: PtyOptions): PtySession {
  const command = [process.execPath, BIN, ...args];
  const wrapped = options.after ? ['sh', '-c', `"$@"; code=$?; ${options.after}; exit $code`, 'sh', ...command] : command;
  const child: ChildProcessWithoutNullStreams = spawn(
    'python3',
    [DRIVER, '40', '120', '--', ...wrapped],
    { env: cleanEnv(options.home, { TERM: 'xterm-256color', ...options.env }), cwd: options.cwd ?? options.home },
  );
  let raw = '';
  let stderr = '';
  let cursor = 0;
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    raw += chunk;
    for (const l of listeners) l();
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number>((resolve) => {
    child.on('close', () => {
      for (const l of listeners) l();
      const m = /exit:(-?\d+)\s*$/.exec(stderr);
      resolve(m ? Number(m[1]) : -1);
    });
  });
  const text = (): string => stripVTControlCharacters(raw);

  return {
    text,
    type(keys) {
      child.stdin.write(keys);
    },
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const rest = text().slice(cursor);
          const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
          if (index < 0) return false;
          const length = typeof pattern === 'string' ? pattern.length : (rest.slice(index).match(pattern)?.[0].length ?? 0);
          cursor += index + length;
          done();
          resolve(rest.slice(index, index + length));
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; screen so far:\n${text().slice(cursor)}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = (): void => {
          if (!check() && child.exitCode !== null && child.stdout.readableEnded) {
            done();
            reject(new Error(`process ended while waiting for ${String(pattern)}; screen:\n${text().slice(cursor)}`));
          }
        };
        listeners.add(listener);
        check();
      });
    },
    async exit(timeoutMs = 10_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdin.end();
      const code = await closed;
      clearTimeout(timer);
      return { code, text: text(), raw };
    },
  };
}

/** Driver for runInPty: a scripted list of wait-for/send steps, run entirely in Python. */
const STEP_DRIVER = String.raw`
import json, os, pty, select, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
out = b""
deadline = time.time() + spec["timeout"]
steps = list(spec["steps"])
def pump(t):
    global out
    r, _, _ = select.select([fd], [], [], t)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True
alive = True
while alive and time.time() < deadline:
    if steps and steps[0]["waitFor"].encode() in out:
        os.write(fd, steps.pop(0)["send"].encode())
        out += b"<<SENT>>"
    alive = pump(0.05)
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
print(json.dumps({"code": code, "output": out.decode("utf-8", "replace"), "pending": len(steps)}))
`;

export interface PtyStep {
  waitFor: string;
  send: string;
}

export async function runInPty(
  argv: string[],
  options: { cwd: string; env: Record<string, string | undefined>; steps: PtyStep[]; timeoutMs?: number },
): Promise<{ code: number; output: string; pending: number }> {
  const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));
  const spec = { argv, cwd: options.cwd, env: { TERM: 'xterm', ...env }, steps: options.steps, timeout: (options.timeoutMs ?? 10_000) / 1000 };
  const { stdout } = await execa('python3', ['-c', STEP_DRIVER, JSON.stringify(spec)], { timeout: (options.timeoutMs ?? 10_000) + 5000 });
  return JSON.parse(stdout) as { code: number; output: string; pending: number };
}
