/**
 * The process entry, bundled into dist/tcss.cjs and started by bin/tcss.js: real streams, environment and
 * signals in; an exit code out. It exports `run` instead of running on load so that the build can run it
 * a few times in one process to record V8's compiled code (scripts/code-cache.cjs).
 */
import { main } from './main.js';

let streamsGuarded = false;

/** Runs one command line and sets process.exitCode; resolves when the command is done. */
export async function run(argv: string[]): Promise<number> {
  if (!streamsGuarded) {
    streamsGuarded = true;
    // A reader that goes away (`tcss --help | head -1`) ends the output, not the program with an EPIPE stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      });
    }
  }

  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // bin/tcss.js answers bare --version itself; this is for a bundle started some other way.
    process.stdout.write(`${__TCSS_VERSION__}\n`);
    return 0;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    // A second Ctrl-C leaves at once, whatever is still running.
    if (interrupts > 1) process.exit(130);
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
    const code = await main(argv, process.env, io, { cwd: process.cwd(), signal: controller.signal });
    process.exitCode = code;
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

