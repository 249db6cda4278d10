/**
 * The process entry, bundled into dist/tcss.cjs and started by bin/tcss.js: real streams, environment and
 * signals in; an exit code out. It exports `run` instead of running on load so that the build can run it
 * a few times in one process to record V8's compiled code (scripts/code-cache.cjs).
 */
import { ExitCode } from './core/errors.js';
import { main } from './main.js';
import type { SourceMapFile } from './cli/stack.js';

let streamsGuarded = false;
/** Why standard output failed, when it failed other than by its reader going away (a full disk, say). */
let stdoutFailure: string | undefined;

/**
 * A reader that goes away (`tcss … | head -1`) or an output that fails (`> /dev/full`) ends the output, not the
 * command, and never with a stack trace: from then on the stream drops what it is given, and the command
 * finishes with its own exit code (a drift check piped into `head` still fails; an apply to many accounts is
 * not cut off half-way).
 */
function guardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      stream.write = (() => true) as typeof stream.write;
      if (stream === process.stdout && error.code !== 'EPIPE') stdoutFailure ??= error.code ?? error.message;
    });
  }
}

export interface RunOptions {
  /** The script's source map (bin/tcss.js gives it), for `--debug` stack traces. */
  sourceMap?: SourceMapFile;
}

/** Runs one command line and sets process.exitCode; resolves when the command is done. */
export async function run(argv: string[], runOptions: RunOptions = {}): Promise<number> {
  if (!streamsGuarded) {
    streamsGuarded = true;
    guardStreams();
  }

  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // bin/tcss.js answers bare --version itself; this is for a bundle started some other way.
    process.stdout.write(`${__TCSS_VERSION__}\n`);
    return 0;
  }

  const controller = new AbortController();
  let interrupts = 0;
  /** The signal that stopped the run: SIGINT exits 130, SIGTERM 143 (128 + the signal's number). */
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    if (stoppedBy !== 'SIGTERM') stoppedBy = signal;
    // A second signal leaves at once, whatever is still running.
    if (interrupts > 1) process.exit(stoppedBy === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Opening process.stdin costs milliseconds (a stream on fd 0); only the paths that read it pay for it.
    get stdin() {
      return process.stdin;
    },
  };
  try {
    let code = await main(argv, process.env, io, { cwd: process.cwd(), signal: controller.signal, ...(runOptions.sourceMap ? { sourceMap: runOptions.sourceMap } : {}) });
    // main() reports an interruption as 130; stopped by SIGTERM, the convention is 143.
    if (stoppedBy === 'SIGTERM' && code === ExitCode.Interrupted) code = ExitCode.Terminated;
    // A failed write is reported by an 'error' event a moment later.
    await new Promise((resolve) => setImmediate(resolve));
    if (stdoutFailure !== undefined) {
      process.stderr.write(`Error [Output.WriteFailed]: could not write to standard output (${stdoutFailure}); what the command printed is incomplete\n`);
      if (code === 0) code = 1;
    }
    process.exitCode = code;
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * After the last command of the process, for bin/tcss.js and scripts/code-cache.cjs, which then record a V8
 * code cache: sets V8's flags back to what they were (src/core/http/process-state.ts says why the transport
 * changed them), and says how many requests were answered.
 */
export async function finish(): Promise<{ requestsAnswered: number }> {
  const state = await import('./core/http/process-state.js');
  state.restoreV8Flags();
  return { requestsAnswered: state.requestsAnswered() };
}
