/**
 * main(argv, env, io): parses, runs one command, and is the one place that catches errors, prints them and
 * picks the exit code (README.md and docs/commands.md, "Exit codes").
 */
import { CommanderError } from 'commander';
import { envSecrets, knownSecrets } from './core/credentials/index.js';
import { homeDir, type Env } from './core/env.js';
import { ExitCode, TcssError, UsageError } from './core/errors.js';
import { buildProgram } from './cli/program.js';
import { createTerminal, type IO } from './cli/io.js';
import { renderError, toReport } from './cli/format.js';
import type { SourceMapFile } from './cli/stack.js';

export interface MainOptions {
  cwd: string;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  now?: () => number;
  /** The script's source map, for `--debug` stack traces in the sources' terms (src/cli/stack.ts). */
  sourceMap?: SourceMapFile;
}

/**
 * Whether errors are printed as JSON before the options are resolved (a bad flag, say): from the last
 * `--output` on the command line, else TCSS_OUTPUT. Once a command has resolved its options (config file
 * included), that answer replaces this guess.
 */
function wantsJson(argv: readonly string[], env: Env): boolean {
  let value: string | undefined = env.TCSS_OUTPUT;
  argv.forEach((arg, i) => {
    if (arg === '--output') value = argv[i + 1];
    else if (arg.startsWith('--output=')) value = arg.slice('--output='.length);
  });
  return value?.trim().toLowerCase() === 'json';
}

export async function main(argv: readonly string[], env: Env, io: IO, options: MainOptions): Promise<number> {
  const noColor = argv.includes('--no-color');
  const debug = argv.includes('--debug');
  // Loaded only for --debug: no other run shows a stack.
  if (debug && options.sourceMap) (await import('./cli/stack.js')).useSourceMappedStacks(options.sourceMap);
  const terminal = await createTerminal(io, env, noColor);
  // From the start: a key pasted into a flag by mistake is echoed by the flag's error, before credentials are read.
  for (const secret of envSecrets(env)) terminal.addSecret(secret);
  let exitCode: number = ExitCode.Ok;
  let jsonErrors = wantsJson(argv, env);
  const program = buildProgram(
    {
      env,
      cwd: options.cwd,
      terminal,
      signal: options.signal,
      now: options.now ?? Date.now,
      onOutputFormat: (format) => (jsonErrors = format === 'json'),
    },
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
    // The profile files' keys too: the run may have failed before reading them, on a value that holds one.
    for (const secret of knownSecrets(env, homeDir(env))) terminal.addSecret(secret);
    const report = toReport(error, code);
    if (jsonErrors) {
      terminal.err.write(`${JSON.stringify({ error: report })}\n`);
    } else {
      terminal.err.write(renderError(report, terminal.errColor));
    }
    if (debug && error instanceof Error && error.stack) {
      terminal.err.write(`${error.stack}\n`);
      // What it wraps: a network library's error, or what a JavaScript config file threw.
      for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
        terminal.err.write(`caused by: ${cause.stack ?? cause.message}\n`);
      }
    }
    return code;
  }
}
