/**
 * The real Prompter, on @inquirer/prompts. The library (~55 ms to import) is loaded here, when the wizard
 * starts, never at program start-up.
 *
 * Ctrl-C, Escape and Ctrl-D all abort: inquirer turns Ctrl-C into an ExitPromptError but ignores Escape, and
 * on Ctrl-D (end of input) its readline just closes, leaving the prompt unanswered until the process exits; so
 * a keypress listener aborts the prompts' signal on a lone Escape or a Ctrl-D. Either way the caller gets an
 * InterruptedError (exit 130) and the terminal is put back (raw mode off, cursor shown).
 */
import type { Key } from 'node:readline';
import { InterruptedError } from '../core/errors.js';
import type { CheckboxQuestion, ConfirmQuestion, InputQuestion, Prompter, SelectQuestion } from './prompter.js';

type TtyInput = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };

export interface InquirerPrompterOptions {
  input: TtyInput;
  output: NodeJS.WritableStream;
  /** The run's interrupt signal (SIGINT/SIGTERM while no prompt holds the terminal). */
  signal: AbortSignal;
}

/** A Prompter that must be closed (in a `finally`) to detach from the terminal. */
export interface ClosablePrompter extends Prompter {
  close(): void;
}

const SHOW_CURSOR = '\u001b[?25h';

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.name === 'CancelPromptError');
}

/** Loads @inquirer/prompts and returns a Prompter on the given streams. */
export async function createInquirerPrompter(options: InquirerPrompterOptions): Promise<ClosablePrompter> {
  const { input, output } = options;
  const prompts = await import('@inquirer/prompts');
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort();
  options.signal.addEventListener('abort', onRunAbort, { once: true });
  if (options.signal.aborted) controller.abort();

  // Each prompt's readline decodes keypresses on `input` (with its 500 ms escape-sequence timeout) and emits
  // them on the stream; a lone Escape comes out as `escape` once the timeout passes, while arrow keys and
  // other sequences come out under their own names.
  const onKeypress = (_text: string | undefined, key: Key | undefined): void => {
    if (key?.name === 'escape' || (key?.ctrl === true && key.name === 'd')) controller.abort();
  };
  input.on('keypress', onKeypress);

  const context = { input, output, signal: controller.signal };
  const ask = async <T>(run: () => Promise<T>): Promise<T> => {
    if (controller.signal.aborted) throw new InterruptedError();
    try {
      return await run();
    } catch (error) {
      if (isPromptExit(error) || controller.signal.aborted) throw new InterruptedError();
      throw error;
    }
  };

  return {
    confirm: (q: ConfirmQuestion) => ask(() => prompts.confirm({ message: q.message, default: q.default }, context)),
    input: (q: InputQuestion) =>
      ask(() =>
        prompts.input(
          {
            message: q.message,
            ...(q.default !== undefined && q.default !== '' ? { default: q.default } : {}),
            validate: (value: string) => q.validate(value === '' && q.default !== undefined ? q.default : value),
          },
          context,
        ),
      ),
    select: <T>(q: SelectQuestion<T>) =>
      ask(() =>
        prompts.select<T>(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })),
            ...(q.default !== undefined ? { default: q.default } : {}),
          },
          context,
        ),
      ),
    checkbox: <T>(q: CheckboxQuestion<T>) =>
      ask(() =>
        prompts.checkbox<T>(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ value: c.value, name: c.name, checked: c.checked === true })),
            ...(q.validate ? { validate: (items: ReadonlyArray<{ value: T }>) => (q.validate as NonNullable<typeof q.validate>)(items.map((i) => i.value)) } : {}),
          },
          context,
        ),
      ),
    close: () => {
      input.removeListener('keypress', onKeypress);
      options.signal.removeEventListener('abort', onRunAbort);
      // inquirer restores the terminal when a prompt ends; this also covers an abort between two prompts.
      if (input.isTTY && input.isRaw && input.setRawMode) input.setRawMode(false);
      output.write(SHOW_CURSOR);
      input.pause();
    },
  };
}
