/**
 * The emulated accounts' image-scan settings, per SecretId, optionally kept in a JSON state file so they
 * survive a restart. The file holds settings only: never a secret key or token.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { CREATE_FIELDS } from '../core/api-model.js';
import { toLongTime } from './validate.js';

/** What DescribeAssetImageScanSetting answers (without RequestId). */
export type StoredSettings = Record<string, unknown>;

const STATE_FORMAT = 'tcss-emulator-state/1';
/** The largest state file read or written: 16 accounts with settings as large as a request allows. */
export const MAX_STATE_BYTES = 16 * 1024 * 1024;
/** `<state file>.<uuid>.tmp`: the temporary files of writeAtomically. */
const TMP_RE = /^\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Thrown when a Create would make the state file larger than MAX_STATE_BYTES. */
export class StateTooLargeError extends Error {
  override readonly name = 'StateTooLargeError';
}

/**
 * An account that never called Create: scanning off, midnight, daily, no scanner, everything empty. The real
 * service's defaults for a new account are not documented; these are the neutral values.
 */
export function defaultSettings(): StoredSettings {
  return {
    Enable: false,
    ScanTime: '00:00:00',
    ScanPeriod: 1,
    ScanVirus: false,
    ScanRisk: false,
    ScanVul: false,
    All: false,
    Images: [],
    ContainerRunning: false,
    ScanScope: 0,
    ScanEndTime: '',
    ExcludeImages: [],
    LastScanTime: '',
    ScanResult: '',
    ClusterIDs: [],
  };
}

/**
 * The settings a validated Create body leaves behind. Create is an upsert of the whole object: every field
 * comes from the body, an omitted optional field goes back to its default (we do not merge with the previous
 * settings; the real service's behaviour there is undocumented). The deprecated `All` is accepted and ignored.
 * Times are kept in the `HH:MM:SS` form the read API answers.
 */
export function settingsFromCreate(body: Readonly<Record<string, unknown>>): StoredSettings {
  const out = defaultSettings();
  for (const field of CREATE_FIELDS) {
    if (field.deprecated || !Object.hasOwn(body, field.name)) continue;
    const value = body[field.name];
    out[field.name] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  for (const name of ['ScanTime', 'ScanEndTime']) {
    const value = out[name];
    if (typeof value === 'string' && value !== '') out[name] = toLongTime(value);
  }
  return out;
}

function clone(settings: StoredSettings): StoredSettings {
  return structuredClone(settings);
}

/** Settings per SecretId, in memory, mirrored to `statePath` after every change when one is given. */
export class SettingsStore {
  readonly #accounts: Map<string, StoredSettings>;
  readonly #statePath: string | undefined;
  /** Writes are chained so two Creates never race on the file. */
  #writing: Promise<void> = Promise.resolve();

  private constructor(accounts: Map<string, StoredSettings>, statePath: string | undefined) {
    this.#accounts = accounts;
    this.#statePath = statePath;
  }

  /**
   * Reads `statePath` if it exists; a missing file is an empty store, a damaged one an error. It must be a
   * regular file of at most MAX_STATE_BYTES. Temporary files a killed emulator left next to it are removed.
   */
  static async load(statePath: string | undefined): Promise<SettingsStore> {
    const accounts = new Map<string, StoredSettings>();
    if (statePath !== undefined) {
      const text = await readStateFile(statePath);
      await removeLeftoverTmpFiles(statePath);
      if (text !== undefined) {
        for (const [id, settings] of Object.entries(parseStateFile(text, statePath))) accounts.set(id, settings);
      }
    }
    const store = new SettingsStore(accounts, statePath);
    // Write the file once now, so a path that cannot be written fails at start, not at the first Create.
    if (statePath !== undefined) {
      try {
        await writeAtomically(statePath, store.#snapshot(accounts));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError('Usage.InvalidStateFile', `--state ${statePath} cannot be written (${code ?? 'error'}): check that its folder exists and is writable`);
      }
    }
    return store;
  }

  /** One line per account, so the file stays readable and about the size of the settings themselves. */
  #snapshot(accounts: Map<string, StoredSettings>): string {
    const lines = [...accounts].map(([id, settings]) => `    ${JSON.stringify(id)}: ${JSON.stringify(settings)}`);
    const body = lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`;
    return `{\n  "format": ${JSON.stringify(STATE_FORMAT)},\n  "accounts": ${body}\n}\n`;
  }

  /** What Create last stored for this SecretId, or undefined. */
  stored(secretId: string): StoredSettings | undefined {
    const settings = this.#accounts.get(secretId);
    return settings === undefined ? undefined : clone(settings);
  }

  /** What Describe answers for this SecretId: the stored settings or the defaults. */
  current(secretId: string): StoredSettings {
    return this.stored(secretId) ?? defaultSettings();
  }

  /** Replaces the account's settings; resolves once the state file (if any) is on disk. */
  async put(secretId: string, settings: StoredSettings): Promise<void> {
    const statePath = this.#statePath;
    if (statePath === undefined) {
      this.#accounts.set(secretId, clone(settings));
      return;
    }
    // Writes are chained, each from the state the previous one left; the change is kept in memory only once it
    // is on disk, so a failed write never looks like a stored one.
    const write = this.#writing.then(async () => {
      const next = new Map(this.#accounts).set(secretId, clone(settings));
      const text = this.#snapshot(next);
      if (Buffer.byteLength(text) > MAX_STATE_BYTES) {
        throw new StateTooLargeError(`the state file would exceed ${MAX_STATE_BYTES / 1024 / 1024} MiB`);
      }
      await writeAtomically(statePath, text);
      this.#accounts.set(secretId, clone(settings));
    });
    this.#writing = write.catch(() => undefined);
    await write;
  }
}

/** The state file's text, or undefined when it does not exist yet. Reads at most MAX_STATE_BYTES + 1 bytes. */
async function readStateFile(statePath: string): Promise<string | undefined> {
  const refuse = (why: string): never => {
    throw new UsageError('Usage.InvalidStateFile', `--state ${statePath} ${why}`);
  };
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
    handle = await open(statePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') return refuse('is a directory: give a file path');
    return refuse(`cannot be read (${code ?? 'error'})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return refuse('is a directory: give a file path');
    if (!info.isFile()) return refuse('is not a regular file: give the path of a file (or of one to create)');
    if (info.size > MAX_STATE_BYTES) return refuse(`is larger than ${MAX_STATE_BYTES / 1024 / 1024} MiB: it is not an emulator state file`);
    const buffer = Buffer.alloc(MAX_STATE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_STATE_BYTES) return refuse(`is larger than ${MAX_STATE_BYTES / 1024 / 1024} MiB: it is not an emulator state file`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Removes `<state file>.<uuid>.tmp` files: what an emulator killed mid-write (kill -9) left behind. */
async function removeLeftoverTmpFiles(statePath: string): Promise<void> {
  const dir = dirname(statePath);
  const prefix = basename(statePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && TMP_RE.test(name.slice(prefix.length))) await rm(join(dir, name), { force: true });
  }
}

function parseStateFile(text: string, statePath: string): Record<string, StoredSettings> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the emulator state file ${statePath} is not valid JSON; delete it to start afresh`);
  }
  const accounts = (parsed as { accounts?: unknown } | null)?.accounts;
  if (typeof accounts !== 'object' || accounts === null || Array.isArray(accounts)) {
    throw new Error(`the emulator state file ${statePath} has no "accounts" object; delete it to start afresh`);
  }
  const out: Record<string, StoredSettings> = {};
  for (const [id, settings] of Object.entries(accounts as Record<string, unknown>)) {
    if (typeof settings === 'object' && settings !== null && !Array.isArray(settings)) {
      out[id] = { ...defaultSettings(), ...(settings as StoredSettings) };
    }
  }
  return out;
}

/** Temp file in the same directory, mode 0600, then rename: a reader never sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
