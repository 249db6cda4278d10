/** The process entry: real streams, environment and signals in; an exit code out. */

// A reader that goes away (`tcss --help | head -1`) ends the output, not the program with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one invocation scripts run most, answered before the parser and the output helpers are even loaded.
  // Any other argument list (e.g. `--version --profile x`) goes through commander, which prints the same.
  process.stdout.write(`${__TCSS_VERSION__}\n`);
} else {
  const { main } = await import('./main.js');
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
  const code = await main(argv, process.env, io, {
    cwd: process.cwd(),
    signal: controller.signal,
  });
  process.exitCode = code;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
