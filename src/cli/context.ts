/**
 * What every command gets: the resolved global options, the loaded config, the terminal, the environment,
 * the clock and the interrupt signal. Built once per run from the global flags.
 */
import { homedir } from 'node:os';
import { loadConfig, type LoadedConfig } from '../core/config/index.js';
import { findCredentials, loadCredentials, type Credentials } from '../core/credentials/index.js';
import type { Env } from '../core/env.js';
import { UsageError } from '../core/errors.js';
import { resolveGlobalOptions, type GlobalFlags, type GlobalOptions, type OutputFormat, type ResolvedGlobals } from '../core/config/index.js';
import type { Terminal } from './io.js';

/** Global flags as commander hands them to a command. */
export interface RawGlobalFlags extends GlobalFlags {
  /** A file, or false for --no-config. */
  config?: string | false;
  dryRun?: boolean;
  debug?: boolean;
  color?: boolean;
}

export interface RunEnvironment {
  env: Env;
  cwd: string;
  terminal: Terminal;
  signal: AbortSignal;
  now: () => number;
  /** Told the resolved output format, so errors after that point are printed in it. */
  onOutputFormat?: (format: OutputFormat) => void;
}

export interface CommandContext extends RunEnvironment {
  globals: GlobalOptions;
  sources: ResolvedGlobals['sources'];
  config: LoadedConfig;
  /** Shown relative to home, for messages. */
  configName: string;
  home: string;
  dryRun: boolean;
  debugEnabled: boolean;
  /** Writes a `debug:` line to stderr when --debug is on. */
  debug: (line: string) => void;
  /** Credentials through the chain; their secrets are registered for redaction. */
  credentials: () => Promise<Credentials>;
  /** A clock offset learned from the server during this run (see ReliableCallOptions.skew). */
  clockSkew: { offsetMs?: number };
  /** Like credentials(), but undefined when none are configured. */
  optionalCredentials: () => Promise<Credentials | undefined>;
}

export function homeOf(env: Env): string {
  return env.HOME || homedir();
}

/** Loads the config and resolves the global options. */
export async function createContext(flags: RawGlobalFlags, run: RunEnvironment): Promise<CommandContext> {
  const home = homeOf(run.env);
  const debugEnabled = flags.debug === true;
  const debug = (line: string): void => {
    if (debugEnabled) run.terminal.err.write(`${run.terminal.errColor.dim(`debug: ${line}`)}\n`);
  };
  if (typeof flags.config === 'string' && flags.config.trim() === '') throw new UsageError('Usage.InvalidValue', '--config needs a file path');
  const config: LoadedConfig =
    flags.config === false ? { config: {} } : await loadConfig({ cwd: run.cwd, home, explicitPath: flags.config });
  const configName = config.filepath ? config.filepath.replace(home + '/', '~/') : 'config file';
  debug(flags.config === false ? 'config file: ignored (--no-config)' : config.filepath ? `config file: ${config.filepath}` : 'config file: none found');
  const resolved = resolveGlobalOptions(flags, run.env, config.config, configName);
  run.onOutputFormat?.(resolved.options.output);
  for (const [key, from] of Object.entries(resolved.sources)) debug(from.source === from.name ? `${key} from ${from.source}` : `${key} from ${from.source} (${from.name})`);

  const query = () => ({ env: run.env, profile: resolved.options.profile, profileExplicit: resolved.options.profileExplicit, home });
  const register = (creds: Credentials | undefined): Credentials | undefined => {
    if (creds) {
      run.terminal.addSecret(creds.secretKey);
      run.terminal.addSecret(creds.token);
      debug(`credentials from ${creds.source} (SecretId ${creds.secretId})`);
    }
    return creds;
  };
  return {
    ...run,
    globals: resolved.options,
    sources: resolved.sources,
    config,
    configName,
    home,
    dryRun: flags.dryRun === true,
    clockSkew: {},
    debugEnabled,
    debug,
    credentials: async () => register(await loadCredentials(query())) as Credentials,
    optionalCredentials: async () => register(await findCredentials(query())),
  };
}
