/**
 * `tcss image-scan set` in a terminal without setting flags, or with `-i`: starts the wizard, sends what it
 * returns like the flags path does, and prints the equivalent command line for CI.
 */
import { ApiError, InterruptedError, TcssError } from '../core/errors.js';
import { flagsLayer, type SettingKey } from '../core/settings/index.js';
import { equivalentCommand } from '../wizard/command-line.js';
import { runSetWizard } from '../wizard/run.js';
import { isPermissionError, readCurrentSettings, type CurrentRead } from './current-settings.js';
import { applySettings, configSettingsLayer, debugSettingSources, type ImageScanSetFlags } from './commands/image-scan-set.js';
import type { CommandContext } from './context.js';
import { markedSettingsRows, table } from './format.js';

/**
 * The account's current settings through the reader the flags path uses, when credentials are there (a dry run
 * may have none). A failed read is one line on stderr and the wizard goes on from the config file and the
 * defaults; a refused key is said to fail the send too. An interrupt stops the run.
 */
async function readForWizard(ctx: CommandContext): Promise<CurrentRead | undefined> {
  if (ctx.dryRun && !(await ctx.optionalCredentials())) return undefined;
  try {
    return await readCurrentSettings(ctx);
  } catch (error) {
    if (ctx.signal.aborted || error instanceof InterruptedError) throw new InterruptedError();
    const code = error instanceof TcssError ? error.code : 'unexpected error';
    const { err, errColor } = ctx.terminal;
    const refused = error instanceof ApiError && error.code.startsWith('AuthFailure') && !isPermissionError(error);
    const line = refused
      ? `Could not read the current settings (${code}): the API refused these credentials, so sending will fail too; check them (--debug shows where they were read).`
      : isPermissionError(error)
        ? `Could not read the current settings (${code}): this key may not read them; the questions start from the defaults, and what is not asked is written with its default.`
        : `Could not read the current settings (${code}); using defaults.`;
    err.write(`${errColor.yellow(line)}\n`);
    return undefined;
  }
}

/** Global flags for the equivalent command: those given on the command line. */
function globalArgs(ctx: CommandContext): string[][] {
  const args: string[][] = [];
  const given = (key: 'profile' | 'region' | 'endpoint' | 'language'): boolean => ctx.sources[key]?.source === 'flag';
  if (given('profile')) args.push(['--profile', ctx.globals.profile]);
  if (given('region') && ctx.globals.region) args.push(['--region', ctx.globals.region]);
  if (given('endpoint')) args.push(['--endpoint', ctx.globals.endpoint.url.replace(/\/$/, '')]);
  if (given('language') && ctx.globals.language) args.push(['--language', ctx.globals.language]);
  return args;
}

export async function runSetWizardCommand(ctx: CommandContext, flags: ImageScanSetFlags): Promise<number> {
  const config = configSettingsLayer(ctx);
  // Before the first question: without credentials the answers could not be sent (a dry run needs none).
  if (!ctx.dryRun) await ctx.credentials();
  let current: CurrentRead | undefined;
  const { err, errColor } = ctx.terminal;
  const result = await runSetWizard({
    flags: flagsLayer(flags),
    config,
    readCurrent: async () => {
      current = flags.replace ? undefined : await readForWizard(ctx);
      if (!current) return undefined;
      const { lastScanTime: _last, scanResult: _result, unreadable: _unreadable, ...values } = current.current;
      return values;
    },
    dryRun: ctx.dryRun,
    signal: ctx.signal,
    print: (text) => ctx.terminal.out.write(text),
    summarize: (settings) => table(markedSettingsRows(settings, current?.current)),
    warn: (line) => err.write(`${errColor.yellow('warning')}: ${line}\n`),
  });
  if (!result.confirmed) {
    err.write(`${errColor.dim('Nothing was sent.')}\n`);
    return 0;
  }
  if (ctx.signal.aborted) throw new InterruptedError();
  debugSettingSources(ctx, result.resolved);
  const readSkipped = flags.replace ? 'replace' : ctx.dryRun && !(await ctx.optionalCredentials()) ? 'no-credentials' : undefined;
  await applySettings(ctx, result.resolved, { shown: true, ...(current ? { current } : readSkipped ? { readSkipped } : {}) });

  // The command writes with --replace (no read): every value not at its default is on it, and those the config
  // file sets are pinned, cleared ones as "none", so it sends the same body wherever it runs.
  const pinned = new Set(Object.keys(config.values) as SettingKey[]);
  const command = equivalentCommand(result.resolved.settings, { pinned, globals: globalArgs(ctx) });
  // The wizard never runs with JSON output, so this is always text on stdout.
  const { out, outColor } = ctx.terminal;
  out.write(`\n${outColor.dim('The same settings without the wizard (for scripts and CI):')}\n  ${command}\n`);
  return 0;
}
