/**
 * The one seam between the wizard and the terminal. The wizard only ever talks to a Prompter; the
 * real one is built on @inquirer/prompts (inquirer-prompter.ts), tests script a fake one.
 */

/** A validate callback: `true` when the answer is accepted, else the message to show in place. */
export type Validate<T> = (value: T) => string | true;

interface Question {
  /** Stable name of the question (the setting key it fills, or `confirm`): lets tests script answers. */
  name: string;
  message: string;
}

export interface ConfirmQuestion extends Question {
  default: boolean;
}

export interface InputQuestion extends Question {
  /** Shown and used when the answer is left empty. */
  default?: string;
  validate: Validate<string>;
}

export interface Choice<T> {
  value: T;
  name: string;
  /** Shown under the list while the choice is highlighted. */
  description?: string;
  /** Checkbox only: ticked at the start. */
  checked?: boolean;
}

export interface SelectQuestion<T> extends Question {
  choices: ReadonlyArray<Choice<T>>;
  default?: T;
}

export interface CheckboxQuestion<T> extends Question {
  choices: ReadonlyArray<Choice<T>>;
  validate?: Validate<readonly T[]>;
}

/**
 * Asks one question at a time. Every method rejects with an InterruptedError when the user presses Ctrl-C or
 * Escape (or the run's signal is aborted), so the caller sends nothing.
 */
export interface Prompter {
  confirm(question: ConfirmQuestion): Promise<boolean>;
  input(question: InputQuestion): Promise<string>;
  select<T>(question: SelectQuestion<T>): Promise<T>;
  checkbox<T>(question: CheckboxQuestion<T>): Promise<T[]>;
}
