/**
 * A yes/no question in a terminal, for `image-scan apply`. It goes through the wizard's prompter, so the prompt
 * library is imported only when a question is actually asked, and Ctrl-C, Escape or an aborted run all end in
 * an InterruptedError (exit 130, nothing changed) with the terminal put back.
 */
import type { Env } from '../core/env.js';
import { InterruptedError } from '../core/errors.js';

/** CI=true (or any value but false/0) means nobody is there to answer a prompt, even in a terminal. */
export function isCi(env: Env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export interface ConfirmOptions {
  message: string;
  signal: AbortSignal;
  /** Defaults to the process's stdin. */
  input?: NodeJS.ReadableStream;
  /** Defaults to the process's stderr, so stdout keeps only results. */
  output?: NodeJS.WritableStream;
}

/** Asks; resolves true for yes. Default answer: no. */
export async function confirmInTerminal(options: ConfirmOptions): Promise<boolean> {
  const { createInquirerPrompter } = await import('../wizard/inquirer-prompter.js');
  const prompter = await createInquirerPrompter({
    input: options.input ?? process.stdin,
    output: options.output ?? process.stderr,
    signal: options.signal,
  });
  try {
    return await prompter.confirm({ name: 'confirm', message: options.message, default: false });
  } catch (error) {
    if (error instanceof InterruptedError) throw new InterruptedError('Interrupted at the confirmation; nothing was changed.');
    throw error;
  } finally {
    prompter.close();
  }
}
