/**
 * The one reader of the account's current settings for `image-scan set`, on the flags path and in the wizard:
 * one DescribeAssetImageScanSetting, mapped to tcss's names. Refused for lack of permission, its error says how
 * to write without reading (`--replace`).
 */
import { ACTION_DESCRIBE, type DescribeSettingResponse } from '../core/api-model.js';
import { ApiError } from '../core/errors.js';
import { fromDescribeResponse, type CurrentSettings } from '../core/settings/index.js';
import { sendApiCall } from './api-call.js';
import type { CommandContext } from './context.js';

export interface CurrentRead {
  current: CurrentSettings;
  requestId: string;
}

/** The codes CAM answers when a key may not call an action (docs/api.md#responses-and-errors). */
export function isPermissionError(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code === 'AuthFailure.UnauthorizedOperation' || error.code.startsWith('UnauthorizedOperation'));
}

/** Reads the current settings; throws the API's or the network's error, a permission error with a hint naming --replace. */
export async function readCurrentSettings(ctx: CommandContext): Promise<CurrentRead> {
  try {
    const response = (await sendApiCall(ctx, ACTION_DESCRIBE, {})) as unknown as DescribeSettingResponse;
    const current = fromDescribeResponse(response);
    ctx.debug(`current settings read (RequestId ${response.RequestId})`);
    return { current, requestId: response.RequestId };
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    throw new ApiError(error.code, error.message || 'the key may not read the current settings', error.requestId, {
      action: ACTION_DESCRIBE,
      cause: error,
      hint:
        '"image-scan set" reads the current settings to keep what it is not given, and this key may not (CAM action tcss:DescribeAssetImageScanSetting): ' +
        'grant it, or pass --replace to write the flags, the config file and the defaults without reading',
    });
  }
}
