/** The process entry: real streams, environment and signals in; an exit code out. */
import { main } from './main.js';

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

const code = await main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, {
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
