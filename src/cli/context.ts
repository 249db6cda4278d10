/**
 * What every command gets: the resolved global options, the loaded config, the terminal, the environment,
 * the clock and the interrupt signal. Built once per run from the global flags.
 */
import { loadConfig, type LoadedConfig } from '../core/config/index.js';
import {
  CredentialCache,
  knownSecrets,
  missingCredentials,
  planCredentials,
  type CredentialDeps,
  type CredentialFlags,
  type CredentialPlan,
  type CredentialQuery,
  type Credentials,
  type StsCaller,
} from '../core/credentials/index.js';
import { DEFAULT_STS_HOST } from '../core/api-model.js';
import { createHttpGetter, createStsCaller, retryBaseMs, type RateLimiter } from '../core/api/index.js';
import { parseEndpoint, type Endpoint } from '../core/http/index.js';
import { homeDir, type Env } from '../core/env.js';
import { UsageError } from '../core/errors.js';
import { resolveGlobalOptions, type GlobalFlags, type GlobalOptions, type OutputFormat, type ResolvedGlobals } from '../core/config/index.js';
import type { Terminal } from './io.js';
import { reliableOptions } from './api-call.js';

/** Global flags as commander hands them to a command. */
export interface RawGlobalFlags extends GlobalFlags, CredentialFlags {
  /** A file, or false for --no-config. */
  config?: string | false;
  dryRun?: boolean;
  debug?: boolean;
  color?: boolean;
}

const CREDENTIAL_FLAG_KEYS = ['roleArn', 'roleSessionName', 'roleDuration', 'useCvmRole', 'oidcProviderId', 'oidcAudience', 'webIdentityTokenFile'] as const satisfies ReadonlyArray<keyof CredentialFlags>;

/** The credential flags given on the command line, as the chain takes them (only those given). */
export function credentialFlags(flags: RawGlobalFlags): CredentialFlags {
  const out: Record<string, unknown> = {};
  for (const key of CREDENTIAL_FLAG_KEYS) if (flags[key] !== undefined && flags[key] !== false) out[key] = flags[key];
  return out as CredentialFlags;
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
  /**
   * Like credentials(), but undefined when none are configured. `offline`: keys at hand only (a dry run sends
   * nothing, so a role is not assumed); `skipped` then names the role source that was not asked.
   */
  optionalCredentials: (options?: { offline?: boolean; skipped?: (source: string) => void }) => Promise<Credentials | undefined>;
  /** The credential flags given (--role-arn, --use-cvm-role, --oidc-provider-id, …). */
  credentialFlags: CredentialFlags;
  /**
   * Credentials of another profile through the same chain (many accounts): planned once, each role fetched once
   * per run and refreshed before it expires, secrets registered for redaction.
   */
  credentialsOf: (profile: string) => () => Promise<Credentials>;
  /** Makes every STS call of this run wait for a slot of this rate limit (many accounts). */
  useRateLimiter: (limiter: RateLimiter) => void;
  /** STS for this run (GetCallerIdentity): endpoint from TCSS_STS_ENDPOINT, "stsEndpoint" in the config, or the default. */
  sts: () => StsCaller;
  stsEndpoint: () => Endpoint;
}

/** Providers whose keys are at hand without a network call. */
const STATIC_PROVIDERS: ReadonlySet<string> = new Set(['env', 'tccli', 'sdk-file']);

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
  const home = homeDir(run.env);
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

  const credFlags = credentialFlags(flags);
  const warn = (line: string): void => run.terminal.err.write(`${run.terminal.errColor.yellow('warning:')} ${line}\n`);
  const queryOf = (profile: string, profileExplicit: boolean): CredentialQuery => ({ env: run.env, profile, profileExplicit, home, flags: credFlags, warn });
  const cache = new CredentialCache();
  let limiter: RateLimiter | undefined;
  let stsEndpoint: Endpoint | undefined;
  const endpointOfSts = (): Endpoint => {
    if (stsEndpoint) return stsEndpoint;
    const fromEnv = run.env.TCSS_STS_ENDPOINT?.trim() ? run.env.TCSS_STS_ENDPOINT : undefined;
    const value = fromEnv ?? config.config.stsEndpoint;
    const where = fromEnv !== undefined ? 'TCSS_STS_ENDPOINT' : value !== undefined ? `"stsEndpoint" in ${configName}` : 'default';
    stsEndpoint = parseEndpoint(value ?? DEFAULT_STS_HOST, where === 'default' ? 'the STS endpoint' : where);
    debug(`STS endpoint ${stsEndpoint.url} from ${where}`);
    return stsEndpoint;
  };
  const seen = new Set<string>();
  const register = (creds: Credentials | undefined, label = ''): Credentials | undefined => {
    if (creds) {
      run.terminal.addSecret(creds.secretKey);
      run.terminal.addSecret(creds.token);
      if (!seen.has(`${label}|${creds.secretId}`)) {
        seen.add(`${label}|${creds.secretId}`);
        const expiry = creds.expiresAt === undefined ? '' : `, temporary, expire ${new Date(creds.expiresAt).toISOString()}`;
        debug(`${label}credentials from ${creds.source} (SecretId ${creds.secretId}${expiry})`);
      }
    }
    return creds;
  };
  const stsCaller = (): StsCaller => {
    const reliable = reliableOptions(ctx, undefined, endpointOfSts().url);
    if (limiter) {
      const shared = limiter;
      reliable.beforeAttempt = async (signal) => void (await shared.acquire(signal));
    }
    return createStsCaller({ endpoint: endpointOfSts(), ...(ctx.globals.region ? { region: ctx.globals.region } : {}), reliable });
  };
  const deps = (): CredentialDeps => ({
    now: run.now,
    cache,
    sts: (request) => stsCaller()(request),
    httpGet: (url, options) =>
      createHttpGetter({
        env: run.env,
        timeoutMs: resolved.options.timeoutMs,
        retries: resolved.options.retries,
        retryBaseMs: retryBaseMs(run.env),
        ...(resolved.options.proxy !== undefined ? { explicitProxy: { value: resolved.options.proxy, where: resolved.sources.proxy?.name ?? '--proxy' } } : {}),
        signal: run.signal,
      })(url, options),
    onSecret: (value) => run.terminal.addSecret(value),
    ...(debugEnabled ? { debug } : {}),
  });
  const plans = new Map<string, CredentialPlan>();
  const resolver = (profile: string, profileExplicit: boolean, label: string) => {
    const key = `${profileExplicit}|${profile}`;
    return async (options: { offline?: boolean; skipped?: (source: string) => void } = {}): Promise<Credentials | undefined> => {
      let plan = plans.get(key);
      if (!plan) {
        plan = planCredentials(queryOf(profile, profileExplicit), run.now());
        plans.set(key, plan);
        debug(`${label}credential chain: ${plan.trace.join('; ')}`);
      }
      if (!plan.source) return undefined;
      if (options.offline && !STATIC_PROVIDERS.has(plan.source.provider)) {
        options.skipped?.(plan.source.describe);
        return undefined;
      }
      return register(await plan.source.resolve(deps()), label);
    };
  };
  const own = resolver(resolved.options.profile, resolved.options.profileExplicit, '');
  const ctx: CommandContext = {
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
    credentials: async () => (await own()) ?? Promise.reject(missingCredentials(queryOf(resolved.options.profile, resolved.options.profileExplicit))),
    optionalCredentials: own,
    credentialFlags: credFlags,
    credentialsOf: (profile) => {
      const find = resolver(profile, true, `profile ${profile}: `);
      return async () => (await find()) ?? Promise.reject(missingCredentials(queryOf(profile, true)));
    },
    useRateLimiter: (shared) => void (limiter = shared),
    sts: stsCaller,
    stsEndpoint: endpointOfSts,
  };
  return ctx;
}
