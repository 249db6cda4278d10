/**
 * Global options (profile, region, endpoint, output, timeout, language, retries, proxy) resolved from
 * flags > env > config file > defaults, with where each value came from. Pure.
 */
import type { TcssConfig } from './schema.js';
import type { Language } from '../api-model.js';
import { checkProfileName } from '../credentials/index.js';
import type { Env } from '../env.js';
import { parseEndpoint, type Endpoint } from '../http/index.js';
import { UsageError } from '../errors.js';
import type { ValueSource } from '../settings/index.js';
import { isNoProxy, parseProxyUrl } from '../http/index.js';

export type OutputFormat = 'text' | 'json';

export interface GlobalOptions {
  profile: string;
  /** Chosen with --profile, TCSS_PROFILE or TCCLI_PROFILE: the env keys are then not used. */
  profileExplicit: boolean;
  region?: string;
  endpoint: Endpoint;
  output: OutputFormat;
  /** Per-request bound on connect, headers and body. */
  timeoutMs: number;
  language?: Language;
  /** Retries after the first attempt. */
  retries: number;
  proxy?: string;
}

/** Raw global flags as commander gives them (strings; undefined when not given). */
export interface GlobalFlags {
  profile?: string;
  region?: string;
  endpoint?: string;
  output?: string;
  timeout?: string;
  language?: string;
  retries?: string;
  proxy?: string;
}

type Key = keyof GlobalFlags;

/** Environment variables for each global option, first wins. */
export const GLOBAL_ENV: Readonly<Record<Key, readonly string[]>> = {
  profile: ['TCSS_PROFILE', 'TCCLI_PROFILE'],
  region: ['TCSS_REGION', 'TENCENTCLOUD_REGION'],
  endpoint: ['TCSS_ENDPOINT'],
  output: ['TCSS_OUTPUT'],
  timeout: ['TCSS_TIMEOUT'],
  language: ['TCSS_LANGUAGE'],
  retries: ['TCSS_RETRIES'],
  proxy: [],
};

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_RETRIES = 2;

export interface ResolvedGlobals {
  options: GlobalOptions;
  sources: Partial<Record<Key, { source: ValueSource; name: string }>>;
}

const REGION_RE = /^[a-z]{2,4}(-[a-z0-9]+){1,3}$/;

export function resolveGlobalOptions(flags: GlobalFlags, env: Env, config: TcssConfig, configFile = 'config file'): ResolvedGlobals {
  try {
    return resolveGlobals(flags, env, config, configFile);
  } catch (error) {
    throw error instanceof UsageError ? asConfigError(error, configFile) : error;
  }
}

/**
 * A bad value from the config file is the file's error (`Config.InvalidValue`) and reads naturally: `the value
 * "a/b" of "profile" in ~/.tcssrc.json is not a valid profile name`. The checks themselves are shared with the
 * flags and variables, whose messages (`--profile "a/b" is not …`) already read well.
 */
function asConfigError(error: UsageError, configFile: string): UsageError {
  if (error.code !== 'Usage.InvalidValue') return error;
  const at = `" in ${configFile} `;
  const m = /^("[A-Za-z]+")/.exec(error.message);
  if (!m || !error.message.startsWith(at, (m[1] as string).length - 1)) return error;
  const key = m[1] as string;
  const rest = error.message.slice(key.length - 1 + at.length);
  const value = /^("(?:[^"\\]|\\.)*")( .*)$/s.exec(rest);
  const message = value ? `the value ${value[1]} of ${key} in ${configFile}${value[2]}` : error.message;
  return new UsageError('Config.InvalidValue', message, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error });
}

function resolveGlobals(flags: GlobalFlags, env: Env, config: TcssConfig, configFile: string): ResolvedGlobals {
  const sources: ResolvedGlobals['sources'] = {};
  const pick = (key: Key): { value: unknown; where: string } | undefined => {
    if (flags[key] !== undefined) {
      sources[key] = { source: 'flag', name: `--${key}` };
      return { value: flags[key], where: `--${key}` };
    }
    for (const name of GLOBAL_ENV[key]) {
      const v = env[name];
      if (v !== undefined && v !== '') {
        sources[key] = { source: 'env', name };
        return { value: v, where: name };
      }
    }
    const fromConfig = config[key];
    if (fromConfig !== undefined) {
      sources[key] = { source: 'config', name: configFile };
      return { value: fromConfig, where: `"${key}" in ${configFile}` };
    }
    return undefined;
  };
  const invalid = (where: string, value: unknown, accepted: string): UsageError =>
    new UsageError('Usage.InvalidValue', `${where} ${JSON.stringify(String(value).slice(0, 80))} is not valid: use ${accepted}`);

  const profileRaw = pick('profile');
  const profile = profileRaw ? checkProfileName(String(profileRaw.value), profileRaw.where) : 'default';

  let region: string | undefined;
  const regionRaw = pick('region');
  if (regionRaw) {
    region = String(regionRaw.value).trim();
    if (!REGION_RE.test(region)) throw invalid(regionRaw.where, regionRaw.value, 'a region such as ap-guangzhou or ap-singapore');
  }

  const endpointRaw = pick('endpoint');
  const endpoint = parseEndpoint(endpointRaw ? String(endpointRaw.value) : undefined, endpointRaw?.where);
  if (!endpointRaw) sources.endpoint = { source: 'default', name: 'default' };

  let output: OutputFormat = 'text';
  const outputRaw = pick('output');
  if (outputRaw) {
    const v = String(outputRaw.value).trim().toLowerCase();
    if (v !== 'text' && v !== 'json') throw invalid(outputRaw.where, outputRaw.value, 'text or json');
    output = v;
  }

  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
  const timeoutRaw = pick('timeout');
  if (timeoutRaw) {
    const text = String(timeoutRaw.value).trim();
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0.001 && n <= 3600)) throw invalid(timeoutRaw.where, timeoutRaw.value, 'a number of seconds from 0.001 to 3600');
    timeoutMs = Math.max(1, Math.round(n * 1000));
  }

  let language: Language | undefined;
  const languageRaw = pick('language');
  if (languageRaw) {
    const v = String(languageRaw.value).trim();
    const match = (['zh-CN', 'en-US'] as const).find((l) => l.toLowerCase() === v.toLowerCase());
    if (!match) throw invalid(languageRaw.where, languageRaw.value, 'zh-CN or en-US');
    language = match;
  }

  let retries = DEFAULT_RETRIES;
  const retriesRaw = pick('retries');
  if (retriesRaw) {
    const text = String(retriesRaw.value).trim();
    if (!/^\d{1,2}$/.test(text) || Number(text) > 10) throw invalid(retriesRaw.where, retriesRaw.value, 'a whole number from 0 to 10');
    retries = Number(text);
  }

  const proxyRaw = pick('proxy');
  // Only a profile chosen on the command line or in the environment overrides the env keys; one in a
  // config file picks which profile file is read when there are no env keys.
  const profileExplicit = sources.profile?.source === 'flag' || sources.profile?.source === 'env';
  const options: GlobalOptions = { profile, profileExplicit, endpoint, output, timeoutMs, retries };
  if (region !== undefined) options.region = region;
  if (language !== undefined) options.language = language;
  if (proxyRaw) {
    const value = String(proxyRaw.value);
    if (!isNoProxy(value)) {
      const url = parseProxyUrl(value, proxyRaw.where);
      if (sources.proxy?.source === 'config' && (url.username || url.password)) {
        throw new UsageError('Config.SecretInFile', `${proxyRaw.where} holds a proxy password; tcss refuses config files with secrets because they end up in git`, {
          hint: 'put the proxy URL with its credentials in HTTPS_PROXY, or pass --proxy',
        });
      }
    }
    options.proxy = value;
  }
  return { options, sources };
}
