/**
 * The wire model of the two actions tcss speaks (docs/api.md#actions-and-fields). One table, used by the client to
 * build bodies and by `tcss emulator` to validate them like the service does.
 */

export const SERVICE = 'tcss';
export const API_VERSION = '2020-11-01';
export const DEFAULT_HOST = 'tcss.intl.tencentcloudapi.com';
/** STS, the service that hands out temporary keys (docs/api.md#sts): its name in the credential scope is `sts`. */
export const STS_SERVICE = 'sts';
export const STS_VERSION = '2018-08-13';
export const DEFAULT_STS_HOST = 'sts.tencentcloudapi.com';
/** The region the SDKs send with STS calls when none is set. */
export const DEFAULT_STS_REGION = 'ap-guangzhou';
/** The signed and sent content type: byte for byte the same in both places. */
/** `X-TC-Language`: the language of the service's error messages. */
export type Language = 'zh-CN' | 'en-US';

export const CONTENT_TYPE = 'application/json';

export const ACTION_CREATE = 'CreateAssetImageScanSetting';
export const ACTION_DESCRIBE = 'DescribeAssetImageScanSetting';
export type ActionName = typeof ACTION_CREATE | typeof ACTION_DESCRIBE;

export type WireType = 'Boolean' | 'String' | 'Integer' | 'Array of String';

export interface WireField {
  readonly name: string;
  readonly type: WireType;
  readonly required: boolean;
  /** Inclusive range for integers. */
  readonly min?: number;
  readonly max?: number;
  /** Accepted, never sent by tcss. */
  readonly deprecated?: boolean;
}

/** CreateAssetImageScanSetting input, in the documented order. */
export const CREATE_FIELDS: readonly WireField[] = [
  { name: 'Enable', type: 'Boolean', required: true },
  { name: 'ScanTime', type: 'String', required: true },
  { name: 'ScanPeriod', type: 'Integer', required: true, min: 1, max: 2147483647 },
  { name: 'ScanVirus', type: 'Boolean', required: true },
  { name: 'ScanRisk', type: 'Boolean', required: true },
  { name: 'ScanVul', type: 'Boolean', required: true },
  { name: 'All', type: 'Boolean', required: false, deprecated: true },
  { name: 'Images', type: 'Array of String', required: false },
  { name: 'ContainerRunning', type: 'Boolean', required: false },
  { name: 'ScanScope', type: 'Integer', required: false, min: 0, max: 3 },
  { name: 'ScanEndTime', type: 'String', required: false },
  { name: 'ExcludeImages', type: 'Array of String', required: false },
  { name: 'ClusterIDs', type: 'Array of String', required: false },
];

export const ACTION_INPUTS: Readonly<Record<ActionName, readonly WireField[]>> = {
  [ACTION_CREATE]: CREATE_FIELDS,
  [ACTION_DESCRIBE]: [],
};

/** Body of CreateAssetImageScanSetting as sent on the wire. */
export interface CreateSettingRequest {
  Enable: boolean;
  ScanTime: string;
  ScanPeriod: number;
  ScanVirus: boolean;
  ScanRisk: boolean;
  ScanVul: boolean;
  Images?: string[];
  ContainerRunning?: boolean;
  ScanScope?: number;
  ScanEndTime?: string;
  ExcludeImages?: string[];
  ClusterIDs?: string[];
}

/** Response of DescribeAssetImageScanSetting (inside `Response`). */
export interface DescribeSettingResponse {
  Enable?: boolean;
  ScanTime?: string;
  ScanPeriod?: number;
  ScanVirus?: boolean;
  ScanRisk?: boolean;
  ScanVul?: boolean;
  All?: boolean;
  Images?: string[] | null;
  ContainerRunning?: boolean;
  ScanScope?: number;
  ScanEndTime?: string;
  ExcludeImages?: string[] | null;
  LastScanTime?: string;
  ScanResult?: string;
  ClusterIDs?: string[] | null;
  RequestId: string;
}

/** The `Response` object of any successful call. */
export interface ApiResponse {
  RequestId: string;
  [field: string]: unknown;
}
