/**
 * `tcss image-scan set` in a terminal without setting flags, or with `-i`: starts the wizard, sends what it
 * returns like the flags path does, and prints the equivalent command line for CI.
 */
import { ACTION_DESCRIBE, type DescribeSettingResponse } from '../core/api-model.js';
import { InterruptedError, TcssError } from '../core/errors.js';
import { fromDescribeResponse, flagsLayer, type ImageScanSettings, type SettingKey } from '../core/settings/index.js';
import { equivalentCommand } from '../wizard/command-line.js';
import { runSetWizard } from '../wizard/run.js';
import { sendApiCall } from './api-call.js';
import { applySettings, configSettingsLayer, debugSettingSources, type ImageScanSetFlags } from './commands/image-scan-set.js';
import type { CommandContext } from './context.js';
import { settingsRows, table } from './format.js';

/**
 * The account's current settings, when credentials are configured. A failed read is one line on stderr and
 * the wizard goes on with the other defaults; an interrupt stops the run.
 */
async function readCurrentSettings(ctx: CommandContext): Promise<Partial<ImageScanSettings> | undefined> {
  if (ctx.dryRun || !(await ctx.optionalCredentials())) return undefined;
  try {
    const response = (await sendApiCall(ctx, ACTION_DESCRIBE, {})) as unknown as DescribeSettingResponse;
    const { lastScanTime: _last, scanResult: _result, ...current } = fromDescribeResponse(response);
    ctx.debug(`wizard defaults from the current settings (RequestId ${response.RequestId})`);
    return current;
  } catch (error) {
    if (ctx.signal.aborted || error instanceof InterruptedError) throw new InterruptedError();
    const code = error instanceof TcssError ? error.code : 'unexpected error';
    ctx.terminal.err.write(`${ctx.terminal.errColor.yellow(`Could not read the current settings (${code}); using defaults.`)}\n`);
    return undefined;
  }
}

/**
 * Global flags for the equivalent command: those given on the command line; with `noConfig`, `--no-config` and
 * the config file's values too, so that the command needs no config file.
 */
function globalArgs(ctx: CommandContext, noConfig: boolean): string[][] {
  const args: string[][] = [];
  const wanted = (key: 'profile' | 'region' | 'endpoint' | 'language'): boolean =>
    ctx.sources[key]?.source === 'flag' || (noConfig && ctx.sources[key]?.source === 'config');
  if (noConfig) args.push(['--no-config']);
  if (wanted('profile')) args.push(['--profile', ctx.globals.profile]);
  if (wanted('region') && ctx.globals.region) args.push(['--region', ctx.globals.region]);
  if (wanted('endpoint')) args.push(['--endpoint', ctx.globals.endpoint.url.replace(/\/$/, '')]);
  if (wanted('language') && ctx.globals.language) args.push(['--language', ctx.globals.language]);
  return args;
}

export async function runSetWizardCommand(ctx: CommandContext, flags: ImageScanSetFlags): Promise<number> {
  const config = configSettingsLayer(ctx);
  const result = await runSetWizard({
    flags: flagsLayer(flags),
    config,
    readCurrent: () => readCurrentSettings(ctx),
    dryRun: ctx.dryRun,
    signal: ctx.signal,
    print: (text) => ctx.terminal.out.write(text),
    summarize: (settings) => table(settingsRows(settings, true)),
  });
  const { err, errColor } = ctx.terminal;
  if (!result.confirmed) {
    err.write(`${errColor.dim('Nothing was sent.')}\n`);
    return 0;
  }
  if (ctx.signal.aborted) throw new InterruptedError();
  debugSettingSources(ctx, result.resolved);
  await applySettings(ctx, result.resolved, true);

  const pinned = new Set(Object.keys(config.values) as SettingKey[]);
  // A value the config file sets but the wizard cleared cannot be said with a flag: the command then ignores
  // the config file and states everything it needs.
  const cleared = [...pinned].some((key) => result.resolved.settings[key] === undefined);
  const command = equivalentCommand(result.resolved.settings, { pinned, globals: globalArgs(ctx, cleared) });
  // The wizard never runs with JSON output, so this is always text on stdout.
  const { out, outColor } = ctx.terminal;
  out.write(`\n${outColor.dim('The same settings without the wizard (for scripts and CI):')}\n  ${command}\n`);
  return 0;
}
