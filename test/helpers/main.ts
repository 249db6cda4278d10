/**
 * Runs `main()` in-process with captured, non-TTY streams and an explicit environment (nothing inherited),
 * so the real parsing, config loading, credentials chain and dry-run printing run without a subprocess.
 */
import { main } from '../../src/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for leak checks. */
  all: string;
}

export interface MainRunOptions {
  home: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Unix milliseconds for the clock. */
  now?: number;
}

export const FIXED_NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

export async function runMain(argv: readonly string[], options: MainRunOptions): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const env = { HOME: options.home, NO_COLOR: '1', ...options.env };
  const code = await main(
    argv,
    env,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      stdin: { isTTY: false },
    },
    { cwd: options.cwd ?? options.home, signal: new AbortController().signal, now: () => options.now ?? FIXED_NOW },
  );
  return { code, stdout, stderr, all: stdout + stderr };
}

/** The `body` of a `--dry-run --output json` run. */
export function dryRunJson(result: MainResult): { dryRun: boolean; signed: boolean; method: string; url: string; headers: Record<string, string>; body: unknown } {
  return JSON.parse(result.stdout) as ReturnType<typeof dryRunJson>;
}
