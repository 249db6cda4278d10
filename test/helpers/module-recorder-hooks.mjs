// Loader hooks for module-recorder.mjs (they run on the loader thread): record each loaded URL.
import { appendFileSync } from 'node:fs';

let logFile;

export function initialize(data) {
  logFile = data.logFile;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') || url.startsWith('node:')) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
