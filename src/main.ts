/**
 * main(argv, env, io): parses, runs one command, and is the one place that catches errors, prints them and
 * picks the exit code (README "Exit codes").
 */
import { CommanderError } from 'commander';
import type { Env } from './core/credentials.js';
import { ExitCode, TcssError, UsageError } from './core/errors.js';
import { buildProgram } from './cli/program.js';
import { createTerminal, type IO } from './cli/io.js';
import { renderError, toReport } from './cli/format.js';

export interface MainOptions {
  cwd: string;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  now?: () => number;
}

function wantsJson(argv: readonly string[], env: Env): boolean {
  const i = argv.lastIndexOf('--output');
  if (i >= 0) return argv[i + 1] === 'json';
  const eq = argv.findLast((a) => a.startsWith('--output='));
  if (eq) return eq === '--output=json';
  return env.TCSS_OUTPUT === 'json';
}

export async function main(argv: readonly string[], env: Env, io: IO, options: MainOptions): Promise<number> {
  const noColor = argv.includes('--no-color');
  const debug = argv.includes('--debug');
  const terminal = createTerminal(io, env, noColor);
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(
    { env, cwd: options.cwd, terminal, signal: options.signal, now: options.now ?? Date.now },
    { setExitCode: (code) => (exitCode = code) },
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (caught) {
    let error = caught;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      }
      const message = error.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      error = new UsageError('Usage.InvalidArguments', message, { hint: 'run "tcss --help" or "tcss <command> --help" for usage' });
    }
    const code = error instanceof TcssError ? error.exitCode : options.signal.aborted ? ExitCode.Interrupted : ExitCode.Internal;
    const report = toReport(error, code);
    if (wantsJson(argv, env)) {
      terminal.err.write(`${JSON.stringify({ error: report })}\n`);
    } else {
      terminal.err.write(renderError(report, terminal.errColor));
    }
    if (debug && error instanceof Error && error.stack) terminal.err.write(`${error.stack}\n`);
    return code;
  }
}
