/**
 * A yes/no question in a terminal, for `image-scan apply`. @inquirer/prompts is imported only when a question
 * is actually asked. Ctrl-C (or an aborted run) is an InterruptedError: exit 130, nothing sent.
 */
import { InterruptedError } from '../core/errors.js';

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
  const { confirm } = await import('@inquirer/prompts');
  try {
    return await confirm(
      { message: options.message, default: false },
      { input: options.input ?? process.stdin, output: options.output ?? process.stderr, signal: options.signal },
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || options.signal.aborted) {
      throw new InterruptedError('Interrupted at the confirmation; nothing was changed.');
    }
    throw error;
  }
}
