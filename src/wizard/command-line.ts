/**
 * The non-interactive command line equivalent to a wizard run: paste it into a CI step and the
 * same request body goes out (with `--replace`: it needs no read permission and does not depend on the account's
 * settings at the time). Pure.
 */
import {
  NONE_WORD,
  OPTIONAL_DEFAULTS,
  SCOPE_NAMES,
  SETTING_DEFAULTS,
  SETTING_FIELDS,
  sameValue,
  type ImageScanSettings,
  type SettingField,
  type SettingKey,
} from '../core/settings/index.js';

/** Characters a POSIX shell never treats specially outside quotes. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell: bare when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface CommandLineOptions {
  /**
   * Settings the config file sets: their flags are always written, so that the command gives the same body on
   * a machine whose config file says otherwise.
   */
  pinned?: ReadonlySet<SettingKey>;
  /** Global flags, e.g. `[['--profile', 'prod'], ['--no-config']]`, written before the command. */
  globals?: ReadonlyArray<readonly string[]>;
  /** The program name; `tcss` unless run otherwise. */
  program?: string;
}

const DEFAULTS: Readonly<Partial<Record<SettingKey, unknown>>> = { ...SETTING_DEFAULTS, ...OPTIONAL_DEFAULTS };

function isDefault(field: SettingField, value: unknown): boolean {
  if (value === undefined) return true;
  return Object.hasOwn(DEFAULTS, field.key) && sameValue(field, DEFAULTS[field.key], value);
}

/**
 * Arguments (unquoted) that reproduce `settings` with `--replace` (flags > config > defaults): the required
 * ones, and every other one not at its default; a pinned one always, a cleared one as `none`.
 */
export function settingsArgs(settings: ImageScanSettings, pinned: ReadonlySet<SettingKey> = new Set()): string[] {
  const args: string[] = [];
  for (const field of SETTING_FIELDS) {
    const value = settings[field.key];
    if (field.key !== 'enable' && field.key !== 'scanTime' && isDefault(field, value) && !pinned.has(field.key)) continue;
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (field.kind === 'list' || field.key === 'scanEndTime') args.push(field.flag, NONE_WORD);
      continue;
    }
    if (field.key === 'enable') {
      args.push(value ? '--enable' : '--disable');
      continue;
    }
    switch (field.kind) {
      case 'boolean':
        args.push(value ? field.flag : field.flag.replace(/^--/, '--no-'));
        break;
      case 'scope': {
        const name = Object.keys(SCOPE_NAMES).find((k) => SCOPE_NAMES[k] === value) ?? String(value);
        args.push(field.flag, name);
        break;
      }
      case 'list':
        args.push(field.flag, (value as string[]).join(','));
        break;
      default:
        args.push(field.flag, String(value));
    }
  }
  return args;
}

/** The whole command, shell-quoted, on one line. */
export function equivalentCommand(settings: ImageScanSettings, options: CommandLineOptions = {}): string {
  const globals = (options.globals ?? []).flat();
  const words = [options.program ?? 'tcss', ...globals, 'image-scan', 'set', '--replace', ...settingsArgs(settings, options.pinned)];
  return words.map(shellQuote).join(' ');
}
