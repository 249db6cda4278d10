/**
 * The console examples of a Markdown page, parsed so that test/e2e/docs-examples.test.ts can run them.
 *
 * Conventions a page follows (docs/README.md states them for writers):
 * - A ```console block is executed. Each line starting with `$ ` is a command (a line ending in `\` continues
 *   on the next); the lines after it, up to the next command, are what it prints (stdout and stderr together).
 *   In expected output a line that is only `…` stands for any number of lines, and `…` inside a line for any
 *   text on that line. A command whose comment says `# in a terminal` runs in a real pseudo-terminal.
 * - A fenced block whose info string has `file=NAME` (```yaml file=scan-policy.yaml) is written to the page's
 *   working directory before the examples after it run, so that what the page shows is what the examples read.
 * - A ```text block whose first line starts with `$ ` is an example that is shown but not run (it needs a
 *   terminal to answer questions, or a server that runs until stopped). The paragraph before it must say so
 *   with the caption "(shown, not run by the docs test: <why>)".
 */

export interface DocCommand {
  /** The command line(s) as the page shows them, continuation lines joined with newlines. */
  command: string;
  /** Expected output lines. */
  expected: string[];
  /** Runs in a pseudo-terminal (`# in a terminal`). */
  terminal: boolean;
}

export interface DocBlock {
  kind: 'console' | 'file' | 'not-run';
  /** 1-based line of the opening fence. */
  line: number;
  commands: DocCommand[];
  /** For `file`: the file name and its content. */
  file?: { name: string; content: string };
  /** For `not-run`: the caption's reason, or undefined when the caption is missing. */
  reason?: string;
}

const FENCE = /^(\s*)(```+)(.*)$/;
const CAPTION = /\(shown, not run by the docs test: ([^)]+)\)/;

/** Splits a Markdown page into the blocks that matter to the docs test, in page order. */
export function parseDocBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) {
      if ((lines[i] as string).trim() === '') {
        if (prose.length > 0 && prose.at(-1) !== '') prose.push('');
      } else prose.push(lines[i] as string);
      continue;
    }
    const indent = (open[1] as string).length;
    const info = (open[3] as string).trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j] as string);
      if (close && (close[3] as string).trim() === '' && (close[2] as string).length >= (open[2] as string).length) break;
      body.push((lines[j] as string).slice(indent));
    }
    const lang = info.split(/\s+/)[0] ?? '';
    const fileName = /(?:^|\s)file=(\S+)/.exec(info)?.[1];
    const line = i + 1;
    if (fileName !== undefined) {
      blocks.push({ kind: 'file', line, commands: [], file: { name: fileName, content: `${body.join('\n')}\n` } });
    } else if (lang === 'console') {
      blocks.push({ kind: 'console', line, commands: parseCommands(body) });
    } else if (body[0]?.startsWith('$ ')) {
      // The caption is in the paragraph just before the block (the last one of the prose since the previous block).
      const lastParagraph = prose.join('\n').trimEnd().split(/\n\n/).at(-1) ?? '';
      blocks.push({ kind: 'not-run', line, commands: parseCommands(body), reason: CAPTION.exec(lastParagraph.replace(/\s+/g, ' '))?.[1] });
    }
    prose = [];
    i = j;
  }
  return blocks;
}

function parseCommands(body: string[]): DocCommand[] {
  const commands: DocCommand[] = [];
  for (let k = 0; k < body.length; k++) {
    const text = body[k] as string;
    if (!text.startsWith('$ ')) {
      const last = commands.at(-1);
      if (last === undefined) throw new Error(`output before the first "$ " command: ${text}`);
      last.expected.push(text);
      continue;
    }
    const parts = [text.slice(2)];
    while ((parts.at(-1) as string).endsWith('\\') && k + 1 < body.length) parts.push(body[++k] as string);
    const command = parts.join('\n');
    commands.push({ command, expected: [], terminal: /#\s*in a terminal\b/.test(command) });
  }
  return commands;
}

/** What varies from run to run, replaced by the same placeholder in the page and in the actual output. */
export function normalise(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>')
    .replace(/\b(?!2020-11-01)\d{4}-\d{2}-\d{2}\b/g, '<date>') // not the API version
    .replace(/\b1[6-9]\d{8}\b/g, '<timestamp>')
    .replace(/\b(in|waiting) \d+ ms\b/g, '$1 <n> ms');
}

/**
 * Whether `actual` is what the page shows: line by line after normalising, `…` as described above, trailing
 * spaces and trailing empty lines ignored.
 */
export function matchesExpected(expected: readonly string[], actual: string): boolean {
  const tidy = (lines: readonly string[]): string[] => {
    const out = lines.map((l) => l.trimEnd());
    while (out.length > 0 && out.at(-1) === '') out.pop();
    while (out.length > 0 && out[0] === '') out.shift();
    return out;
  };
  const want = tidy(normalise(expected.join('\n')).split('\n'));
  const got = tidy(normalise(actual).split('\n'));
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = want
    .map((l) => (l === '…' ? '(?:[^\\n]*\\n)*?' : `${l.split('…').map(escape).join('[^\\n]*')}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(got.length > 0 ? `${got.join('\n')}\n` : '');
}
