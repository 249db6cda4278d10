/**
 * The built `tcss emulator` (bin/tcss.js → dist/) in a child process, with a clean environment and its own
 * temporary HOME, for e2e probes. Resolves once it prints its URL; stop() ends it (SIGTERM), kill9() ends it
 * the hard way. Its output is kept for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, cleanEnv } from './cli.js';

export interface EmulatorProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
  kill9(): Promise<number | string>;
}

export function startEmulatorProcess(
  args: readonly string[],
  options: { home: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], {
    env: cleanEnv(options.home, options.env) as NodeJS.ProcessEnv,
    cwd: options.home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const end = (signal: NodeJS.Signals) => (): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within ${options.timeoutMs ?? 10_000} ms\n${err}`));
    }, options.timeoutMs ?? 10_000);
    const onExit = (code: number | string): void => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the emulator exited (${code}) before listening\n${err}`), { code, stdout: out, stderr: err }));
    };
    void exited.then(onExit);
    child.stdout?.on('data', () => {
      const m = /^tcss emulator listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stdout?.on('data', (chunk: string) => (out += chunk));
      resolve({
        url: m[1] as string,
        port: Number(m[2]),
        child,
        stdout: () => out,
        stderr: () => err,
        exited,
        stop: end('SIGTERM'),
        kill9: end('SIGKILL'),
      });
    });
  });
}
