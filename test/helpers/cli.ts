/**
 * Runs the built binary (bin/tcss.js → dist/) with execa in an isolated environment: a fresh temporary HOME,
 * no inherited TENCENTCLOUD_* / TCSS_* variables, no colour, CI-like (no TTY).
 */
import { execa } from 'execa';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'tcss.js');

export interface TempHome {
  dir: string;
  /** Writes ~/.tccli/<profile>.credential (JSON). */
  tccli(profile: string, data: Record<string, string>): Promise<string>;
  /** Writes ~/.tencentcloud/credentials (INI) from sections. */
  sdkIni(sections: Record<string, Record<string, string>>): Promise<string>;
  /** Writes a file relative to HOME. */
  file(relative: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeTempHome(): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), 'tcss-home-'));
  const file = async (relative: string, content: string): Promise<string> => {
    const path = join(dir, relative);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };
  return {
    dir,
    file,
    tccli: (profile, data) => file(`.tccli/${profile}.credential`, JSON.stringify(data)),
    sdkIni: (sections) =>
      file(
        '.tencentcloud/credentials',
        Object.entries(sections)
          .map(([name, kv]) => `[${name}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`)
          .join('\n'),
      ),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A clean environment: PATH and HOME only, plus what the test gives. */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', ...extra };
}

export interface RunOptions {
  home: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export interface TcssResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Set when the process was killed by a signal or the timeout. */
  signal: string | undefined;
  timedOut: boolean;
}

/** Runs `tcss ...args`; never throws on a non-zero exit. */
export async function runTcss(args: readonly string[], options: RunOptions): Promise<TcssResult> {
  const result = await execa('node', [BIN, ...args], {
    env: cleanEnv(options.home, options.env),
    extendEnv: false,
    cwd: options.cwd ?? options.home,
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 15_000,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    signal: result.signal ?? undefined,
    timedOut: result.timedOut,
  };
}
