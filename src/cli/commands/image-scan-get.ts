/** `tcss image-scan get`: DescribeAssetImageScanSetting as a table or JSON. */
import { ACTION_DESCRIBE, type DescribeSettingResponse } from '../../core/api-model.js';
import { fromDescribeResponse } from '../../core/settings/index.js';
import { printDryRun, sendApiCall } from '../api-call.js';
import type { CommandContext } from '../context.js';
import { currentSettingsTable } from '../format.js';

export async function imageScanGet(ctx: CommandContext): Promise<number> {
  if (ctx.dryRun) {
    await printDryRun(ctx, ACTION_DESCRIBE, {});
    return 0;
  }
  const response = (await sendApiCall(ctx, ACTION_DESCRIBE, {})) as unknown as DescribeSettingResponse;
  if (ctx.globals.output === 'json') {
    ctx.terminal.out.write(`${JSON.stringify(response, null, 2)}\n`);
  } else {
    ctx.terminal.out.write(currentSettingsTable(fromDescribeResponse(response), response.RequestId, ctx.terminal.outColor));
  }
  return 0;
}
