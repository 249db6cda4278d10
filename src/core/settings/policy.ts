/**
 * Loads a policy file for `tcss image-scan apply`/`diff`: JSON or YAML holding the same keys as the
 * config file's `imageScan` section (schema/tcss-policy.schema.json). Values are parsed with the same rules and
 * messages as the flags, naming the file and key. js-yaml is imported only when a YAML file is read.
 */
import { createReadStream } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { inspectDocument } from '../acyclic.js';
import { tildify } from '../env.js';
import { validateImageScanSection } from './section.js';
import { UsageError } from '../errors.js';
import { FileKey, SETTING_FIELDS, parseField, type ParsedSettings, type SettingKey } from './fields.js';

/** The desired settings: only the keys the file gives, parsed (`scanEndTime: null` is kept as null: cleared). */
export type DesiredSettings = ParsedSettings;

export interface Policy {
  /** The file as shown in messages (relative to home as `~`). */
  file: string;
  desired: DesiredSettings;
}

/** Policy files larger than this are refused unread: a settings object is a few hundred bytes. */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** How a key is named in messages: `"scanTime" in policy.yaml`. */
export function policyWhere(file: string, key: SettingKey): FileKey {
  return new FileKey(`"${key}" in ${file}`, 'Policy');
}

/** Nesting deeper than this is not a policy (the format is two levels deep). */
export const MAX_POLICY_DEPTH = 64;

/** Refuses a document that refers to itself, nests too deeply, or expands (YAML aliases) past what its size could hold. */
function checkShape(doc: unknown, file: string): unknown {
  // Without aliases every value takes at least one byte of text: more values than bytes means aliases expanding.
  const shape = inspectDocument(doc, { maxNodes: MAX_POLICY_BYTES, maxDepth: MAX_POLICY_DEPTH });
  if (shape.problem === 'cycle') throw new UsageError('Policy.Invalid', `${file} refers to itself (a YAML alias inside its own anchor)`);
  if (shape.problem === 'depth') throw new UsageError('Policy.Invalid', `${file} is nested more than ${MAX_POLICY_DEPTH} levels deep; it is not a policy file`);
  if (shape.problem === 'size') throw new UsageError('Policy.Invalid', `${file} expands to more than ${MAX_POLICY_BYTES} values (YAML aliases); it is not a policy file`);
  return doc;
}

/** Parses the document text as JSON (`.json`), YAML (`.yaml`, `.yml`), or by its first character otherwise. */
export async function parsePolicyText(text: string, file: string, path: string): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  const json = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(text));
  if (json) {
    try {
      return checkShape(JSON.parse(text) as unknown, file);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      // The parser's message quotes the text; keep only the position.
      const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
      throw new UsageError('Policy.Unparsable', `cannot parse ${file}${position ? ` (at character ${position})` : ''}: check its JSON syntax`);
    }
  }
  const yaml = await import('js-yaml');
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof RangeError || /exceeded maxDepth/.test(String((error as Error).message))) {
      throw new UsageError('Policy.Invalid', `${file} is nested too deeply to be a policy file`);
    }
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new UsageError('Policy.Unparsable', `cannot parse ${file}${line !== undefined ? ` (line ${line + 1})` : ''}: check its YAML syntax`);
  }
  return checkShape(doc, file);
}

/** Checks a parsed document and parses every value; errors name the file and the key. */
export function resolvePolicy(doc: unknown, file: string): DesiredSettings {
  if (doc === undefined || doc === null) throw new UsageError('Policy.Invalid', `${file} is empty: give at least one image-scan setting`);
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    const what = Array.isArray(doc) ? 'a list' : `a single ${typeof doc} value`;
    throw new UsageError('Policy.Invalid', `policy file ${file} holds ${what}: it must be an object of image-scan settings`, {
      hint: 'write one setting per key, e.g. "enable: true" and "scanTime: 02:30" (see schema/tcss-policy.schema.json)',
    });
  }
  // A config file's section pasted whole: the policy file holds the settings themselves, not the section.
  if (Object.hasOwn(doc, 'imageScan')) {
    throw new UsageError('Policy.UnknownKey', `${file}: unknown key "imageScan": a policy file holds the image-scan settings themselves, not a config file's "imageScan" section`, {
      hint: 'move the keys inside "imageScan" to the top level of the file (see schema/tcss-policy.schema.json)',
    });
  }
  const raw = validateImageScanSection(doc, file, 'Policy');
  const desired: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    const value = raw[field.key];
    // YAML `images:` with nothing after it is null: an empty list, not a missing key.
    if (value === null && field.kind === 'list') desired[field.key] = [];
    else if (value !== undefined) desired[field.key] = parseField(field, value, policyWhere(file, field.key));
  }
  if (Object.keys(desired).length === 0) {
    throw new UsageError('Policy.Invalid', `${file} holds no image-scan settings`, {
      hint: `use keys such as ${SETTING_FIELDS.slice(0, 3).map((f) => `"${f.key}"`).join(', ')} (see schema/tcss-policy.schema.json)`,
    });
  }
  return desired as DesiredSettings;
}

/**
 * Reads a file or standard input up to the size limit (and a chunk more, to tell that it is over): a path may
 * name a device or a pipe that never ends (`-f /dev/zero`), so its size is never trusted.
 */
async function readLimited(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    size += buf.length;
    if (size > MAX_POLICY_BYTES) break;
  }
  return Buffer.concat(chunks);
}

export interface PolicySource {
  cwd: string;
  home: string;
  /** Standard input, for `--file -`. */
  stdin?: AsyncIterable<Buffer | string> & { isTTY?: boolean };
}

/** Reads, parses and validates a policy file (`-`: standard input). */
export async function loadPolicy(path: string, options: PolicySource): Promise<Policy> {
  if (path.trim() === '') throw new UsageError('Usage.InvalidValue', '--file needs a file path');
  const fromStdin = path === '-';
  if (fromStdin && (options.stdin === undefined || options.stdin.isTTY)) {
    throw new UsageError('Usage.InvalidValue', '--file - reads the policy from standard input, which is a terminal here: pipe the file in, or give its path');
  }
  const full = fromStdin ? 'stdin' : resolve(options.cwd, path);
  const file = fromStdin ? '(stdin)' : isAbsolute(path) ? tildify(full, options.home) : path;
  let bytes: Buffer;
  try {
    bytes = await readLimited(fromStdin ? (options.stdin as AsyncIterable<Buffer | string>) : createReadStream(full));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('Policy.NotFound', `--file ${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError('Policy.NotFound', `--file ${file} is a directory, not a policy file`);
    throw new UsageError('Policy.Unreadable', `cannot read ${file}: ${code ?? 'error'}`);
  }
  if (bytes.length > MAX_POLICY_BYTES) throw new UsageError('Policy.Invalid', `${file} is over ${MAX_POLICY_BYTES} bytes; it is not a policy file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UsageError('Policy.Unparsable', `${file} is not UTF-8 text`);
  }
  return { file, desired: resolvePolicy(await parsePolicyText(text, file, full), file) };
}
