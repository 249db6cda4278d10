/**
 * A Prompter that answers from a script, for unit tests of the wizard. It behaves like the terminal one where
 * the wizard can tell: an empty input takes the default, a rejected answer shows the validate message and the
 * question is asked again (the next scripted answer), an unscripted question gets Enter (the default).
 */
import { InterruptedError } from '../../src/core/errors.js';
import type { CheckboxQuestion, ConfirmQuestion, InputQuestion, Prompter, SelectQuestion } from '../../src/wizard/prompter.js';

export interface Asked {
  kind: 'confirm' | 'input' | 'select' | 'checkbox';
  name: string;
  message: string;
  default: unknown;
  /** select / checkbox: the choices' values (and for checkbox, which were ticked). */
  choices?: unknown[];
  checked?: unknown[];
  /** select / checkbox: what each choice shows, and its description. */
  labels?: Array<{ name: string; description?: string }>;
}

/** Answer a question with this to act as Ctrl-C / Escape. */
export const INTERRUPT = Symbol('interrupt');

export class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  /** Validation messages shown, per question name, in order. */
  readonly rejected: Record<string, string[]> = {};
  readonly #script: Map<string, unknown[]>;

  constructor(script: Record<string, unknown[] | unknown> = {}) {
    this.#script = new Map(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) && k !== 'scanners' ? [...v] : [v]]));
  }

  /** Names asked, in order. */
  get names(): string[] {
    return this.asked.map((a) => a.name);
  }

  #next(name: string): { has: boolean; value?: unknown } {
    const queue = this.#script.get(name);
    if (!queue || queue.length === 0) return { has: false };
    const value = queue.shift();
    if (value === INTERRUPT) throw new InterruptedError();
    return { has: true, value };
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    this.asked.push({ kind: 'confirm', name: q.name, message: q.message, default: q.default });
    const next = this.#next(q.name);
    return next.has ? Boolean(next.value) : q.default;
  }

  async input(q: InputQuestion): Promise<string> {
    this.asked.push({ kind: 'input', name: q.name, message: q.message, default: q.default });
    for (let attempt = 0; attempt < 20; attempt++) {
      const next = this.#next(q.name);
      const typed = next.has ? String(next.value) : '';
      const answer = typed === '' && q.default !== undefined ? q.default : typed;
      const verdict = q.validate(answer);
      if (verdict === true) return answer;
      (this.rejected[q.name] ??= []).push(verdict);
      if (!next.has) throw new Error(`no valid answer scripted for "${q.name}": ${verdict}`);
    }
    throw new Error(`too many attempts at "${q.name}"`);
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    const values = q.choices.map((c) => c.value);
    const labels = q.choices.map((c) => ({ name: c.name, ...(c.description ? { description: c.description } : {}) }));
    this.asked.push({ kind: 'select', name: q.name, message: q.message, default: q.default, choices: values, labels });
    const next = this.#next(q.name);
    if (!next.has) return q.default ?? (values[0] as T);
    if (!values.includes(next.value as T)) throw new Error(`"${String(next.value)}" is not a choice of "${q.name}"`);
    return next.value as T;
  }

  async checkbox<T>(q: CheckboxQuestion<T>): Promise<T[]> {
    const values = q.choices.map((c) => c.value);
    const checked = q.choices.filter((c) => c.checked).map((c) => c.value);
    this.asked.push({ kind: 'checkbox', name: q.name, message: q.message, default: undefined, choices: values, checked });
    const next = this.#next(q.name);
    const answer = next.has ? (next.value as T[]) : checked;
    for (const v of answer) if (!values.includes(v)) throw new Error(`"${String(v)}" is not a choice of "${q.name}"`);
    if (q.validate) {
      const verdict = q.validate(answer);
      if (verdict !== true) throw new Error(`checkbox "${q.name}" rejected: ${verdict}`);
    }
    return answer;
  }
}
