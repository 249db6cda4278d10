// Loaded with `node --import` by bench/run.js only when /usr/bin/time is missing: reports this process's
// peak resident set size (KiB) on stderr as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nbench-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
