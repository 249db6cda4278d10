/**
 * What every command gets: the resolved global options, the loaded config, the terminal, the environment,
 * the clock and the interrupt signal. Built once per run from the global flags.
 */
import { homedir } from 'node:os';
import { loadConfig, type LoadedConfig } from '../core/config/index.js';
import { findCredentials, knownSecrets, loadCredentials, type Credentials } from '../core/credentials/index.js';
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

/**
 * A key pasted into `--endpoint` or `--proxy` by mistake would be sent as a DNS query (lower-cased by URL
 * parsing) and to whoever answers it: a host name that holds a known secret, or a piece of one, is refused before
 * anything is looked up. The profile files' secrets count too; they are read only when a host was given.
 */
function refuseSecretHosts(resolved: ResolvedGlobals, run: RunEnvironment, home: string): void {
  const hosts: Array<[string, string]> = [];
  if (resolved.sources.endpoint && resolved.sources.endpoint.source !== 'default') hosts.push([resolved.options.endpoint.hostname, resolved.sources.endpoint.name]);
  if (resolved.options.proxy !== undefined) hosts.push([resolved.options.proxy, resolved.sources.proxy?.name ?? '--proxy']);
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) {
    const value = run.env[name];
    if (value) hosts.push([value, name]);
  }
  if (hosts.length === 0) return;
  for (const secret of knownSecrets(run.env, home)) run.terminal.addSecret(secret);
  for (const [host, where] of hosts) {
    if (run.terminal.holdsSecret(host)) {
      throw new UsageError('Usage.InvalidValue', `${where} holds a secret key or token; tcss does not use it as a host name (nothing was looked up or sent)`, {
        hint: 'give the host there (e.g. tcss.tencentcloudapi.com), and rotate the key if it was shared or logged',
      });
    }
  }
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
    flags.config === false ? { config: {} } : await loadConfig({ cwd: run.cwd, home, explicitPath: flags.config, env: run.env });
  for (const warning of config.warnings ?? []) run.terminal.err.write(`${run.terminal.errColor.yellow('warning:')} ${warning}\n`);
  const configName = config.filepath ? config.filepath.replace(home + '/', '~/') : 'config file';
  debug(flags.config === false ? 'config file: ignored (--no-config)' : config.filepath ? `config file: ${config.filepath}` : 'config file: none found');
  const resolved = resolveGlobalOptions(flags, run.env, config.config, configName);
  run.onOutputFormat?.(resolved.options.output);
  refuseSecretHosts(resolved, run, home);
  for (const [key, from] of Object.entries(resolved.sources)) debug(from.source === from.name ? `${key} from ${from.source}` : `${key} from ${from.source} (${from.name})`);

  const warn = (line: string): void => run.terminal.err.write(`${run.terminal.errColor.yellow('warning:')} ${line}\n`);
  const query = () => ({ env: run.env, profile: resolved.options.profile, profileExplicit: resolved.options.profileExplicit, home, warn });
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
