import { InterruptedError } from '../errors.js';

/** Resolves after `ms`; rejects with InterruptedError (exit 130) as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, interruptedMessage?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError(interruptedMessage));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError(interruptedMessage));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
