/**
 * `tcss emulator`: runs the local TCSS API peer until the signal aborts. Accounts come from the options, else
 * from TCSS_EMULATOR_SECRET_ID / TCSS_EMULATOR_SECRET_KEY (so keys need not be on the command line), else a
 * throwaway pair is generated. TENCENTCLOUD_* variables are never read: real credentials stay out of it.
 *
 * stdout: the URL line first (scripts parse it), then the export line (generated pair) or the SecretIds
 * (given keys, which are never printed), then one line per API request. Notes go to stderr.
 */
import { randomInt } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { startEmulator } from './server.js';
import type { Emulator, EmulatorAccount } from './types.js';
import { FIRST_UIN, stsOptionsFrom, type StsOptions } from './sts.js';

export interface EmulatorCommandOptions {
  port?: string;
  secretId?: string[];
  secretKey?: string[];
  state?: string;
  /** STS (sts.ts): roles that may be assumed, OIDC providers and tokens accepted, the CVM instance role. */
  role?: string[];
  oidcProvider?: string[];
  oidcToken?: string[];
  cvmRole?: string;
  /** Global options given on the command line (`--dry-run`, `--output`…): none applies to the emulator. */
  globalFlags?: string[];
}

/** The emulator's own options, for messages. */
const OWN_OPTIONS = '--port, --secret-id, --secret-key, --state, --role, --oidc-provider, --oidc-token and --cvm-role';

export interface CommandIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

export const ENV_SECRET_ID = 'TCSS_EMULATOR_SECRET_ID';
export const ENV_SECRET_KEY = 'TCSS_EMULATOR_SECRET_KEY';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ResolvedEmulatorAccounts {
  accounts: EmulatorAccount[];
  /** True when the pair was generated for this run. */
  generated: boolean;
}

/** `--port`: an integer from 0 (any free port, the default) to 65535. */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError('Usage.InvalidValue', `--port ${JSON.stringify(value)} is not a valid port: use 0 (any free port) to 65535`);
  }
  return port;
}

function randomText(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A SecretId/SecretKey pair that only this emulator run knows. */
export function generateThrowawayAccount(): EmulatorAccount {
  return { secretId: `AKIDEMU${randomText(29)}`, secretKey: randomText(32) };
}

function listFrom(flag: string[] | undefined, envValue: string | undefined): { values: string[]; fromEnv: boolean } {
  if (flag !== undefined && flag.length > 0) return { values: flag, fromEnv: false };
  if (envValue === undefined || envValue.trim() === '') return { values: [], fromEnv: false };
  return { values: envValue.split(','), fromEnv: true };
}

/** Pairs SecretIds with keys one-to-one (flags win over the environment); generates a pair when none is given. */
export function resolveEmulatorAccounts(options: EmulatorCommandOptions, env: CommandIO['env']): ResolvedEmulatorAccounts {
  const ids = listFrom(options.secretId, env[ENV_SECRET_ID]);
  const keys = listFrom(options.secretKey, env[ENV_SECRET_KEY]);
  const idWhere = ids.fromEnv ? ENV_SECRET_ID : '--secret-id';
  const keyWhere = keys.fromEnv ? ENV_SECRET_KEY : '--secret-key';
  if (ids.values.length === 0 && keys.values.length === 0) return { accounts: [generateThrowawayAccount()], generated: true };
  if (ids.values.length !== keys.values.length) {
    throw new UsageError(
      'Usage.InvalidValue',
      `${idWhere} gives ${ids.values.length} SecretId(s) but ${keyWhere} gives ${keys.values.length} key(s): give one key per SecretId, in the same order`,
    );
  }
  const accounts: EmulatorAccount[] = [];
  ids.values.forEach((rawId, i) => {
    const secretId = rawId.trim();
    const secretKey = (keys.values[i] ?? '').trim();
    if (!/^[^/\s,]+$/.test(secretId)) {
      throw new UsageError('Usage.InvalidValue', `${idWhere} ${JSON.stringify(rawId)} is not a valid SecretId: use letters and digits`);
    }
    if (secretKey === '' || /\s/.test(secretKey)) {
      throw new UsageError('Usage.InvalidValue', `${keyWhere} number ${i + 1} is empty or contains spaces`);
    }
    if (accounts.some((a) => a.secretId === secretId)) {
      throw new UsageError('Usage.InvalidValue', `${idWhere} ${secretId} is given twice`);
    }
    accounts.push({ secretId, secretKey });
  });
  return { accounts, generated: false };
}

async function start(port: number, accounts: EmulatorAccount[], statePath: string | undefined, io: CommandIO, sts?: StsOptions): Promise<Emulator> {
  try {
    return await startEmulator({ port, accounts, statePath, log: (line) => io.stdout.write(`${line}\n`), ...(sts ? { sts } : {}) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError('Usage.PortInUse', `port ${port} on 127.0.0.1 is already in use: pick another --port, or 0 for any free port`, {
        cause: error,
      });
    }
    if (statePath !== undefined && error instanceof Error && !(error as NodeJS.ErrnoException).code) {
      throw new UsageError('Usage.InvalidStateFile', error.message, { cause: error });
    }
    throw error;
  }
}

/** Runs the emulator until `signal` aborts, then closes it and resolves. Throws UsageError on bad options. */
export async function runEmulatorCommand(options: EmulatorCommandOptions, io: CommandIO, signal: AbortSignal): Promise<void> {
  const given = options.globalFlags ?? [];
  if (given.length > 0) {
    throw new UsageError(
      'Usage.InvalidArguments',
      `${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply to tcss emulator: its options are ${OWN_OPTIONS}`,
      { hint: 'run "tcss emulator --help" for what it takes' },
    );
  }
  const port = parsePort(options.port);
  const { accounts, generated } = resolveEmulatorAccounts(options, io.env);
  const statePath = options.state?.trim() === '' ? undefined : options.state;
  if (statePath !== undefined && generated) {
    // A generated pair is new at every start: settings kept for it could never be read again.
    throw new UsageError(
      'Usage.MissingValue',
      `--state needs fixed keys: give --secret-id and --secret-key (or ${ENV_SECRET_ID} and ${ENV_SECRET_KEY}); a generated pair changes at every start, so the settings kept for it could never be read again`,
    );
  }
  if (signal.aborted) return;
  const sts = stsOptionsFrom(options, io.env);
  const emulator = await start(port, accounts, statePath, io, sts);
  try {
    io.stdout.write(`tcss emulator listening on ${emulator.url}\n`);
    if (generated) {
      const [account] = accounts as [EmulatorAccount];
      io.stdout.write(
        `export TCSS_ENDPOINT=${emulator.url} TENCENTCLOUD_SECRET_ID=${account.secretId} TENCENTCLOUD_SECRET_KEY=${account.secretKey}\n`,
      );
      io.stderr.write('tcss emulator: the credentials above are a throwaway pair generated for this run; they are not Tencent Cloud keys\n');
    } else {
      io.stdout.write(`tcss emulator accounts: ${accounts.map((a) => a.secretId).join(', ')}\n`);
    }
    if (statePath !== undefined) io.stderr.write(`tcss emulator: settings are kept in ${statePath}\n`);
    io.stderr.write(`tcss emulator: STS too (TCSS_STS_ENDPOINT=${emulator.url}; account UINs from ${FIRST_UIN}); CVM metadata stand-in: TCSS_METADATA_ENDPOINT=${emulator.url}${sts.cvmRole ? '' : ' (no role bound: --cvm-role ARN)'}\n`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await emulator.close();
  }
}
