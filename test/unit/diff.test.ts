import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSettings, sameValue } from '../../src/core/settings/diff.js';
import { SETTING_FIELDS, fromDescribeResponse, toRequestBody, type ImageScanSettings } from '../../src/core/settings/fields.js';
import type { DescribeSettingResponse } from '../../src/core/api-model.js';
import { currentSettingsTable } from '../../src/cli/format.js';

const field = (key: string) => SETTING_FIELDS.find((f) => f.key === key)!;
const describeResponse = (extra: Partial<DescribeSettingResponse> = {}): DescribeSettingResponse => ({
  All: true,
  Enable: true,
  ScanTime: '11:05:00',
  ScanPeriod: 1,
  ScanVirus: true,
  ScanRisk: false,
  ScanVul: true,
  Images: ['sha256:b', 'sha256:a'],
  ContainerRunning: false,
  ScanScope: 1,
  ScanEndTime: '',
  ExcludeImages: null,
  ClusterIDs: [],
  LastScanTime: '',
  ScanResult: '',
  RequestId: 'r-1',
  ...extra,
});

describe('planSettings', () => {
  it('treats 11:05 and the read API\'s 11:05:00 as the same', () => {
    const plan = planSettings({ scanTime: '11:05' }, fromDescribeResponse(describeResponse()), 'p.yaml');
    expect(plan.changes).toEqual([]);
    expect(plan.fields.find((d) => d.field === 'scanTime')).toEqual({ field: 'scanTime', current: '11:05', desired: '11:05', status: 'same' });
  });

  it('ignores list order and duplicates, and a missing list equals an empty one', () => {
    const current = fromDescribeResponse(describeResponse({ Images: ['sha256:b', 'sha256:a', 'sha256:b'] }));
    const plan = planSettings({ images: ['sha256:a', 'sha256:b'], excludeImages: [], clusterIds: [] }, current, 'p.yaml');
    expect(plan.changes).toEqual([]);
    expect(planSettings({ images: ['sha256:a'] }, current, 'p.yaml').changes.map((d) => d.field)).toEqual(['images']);
  });

  it('never looks at the deprecated All', () => {
    const a = planSettings({ enable: true }, fromDescribeResponse(describeResponse({ All: true })), 'p');
    const b = planSettings({ enable: true }, fromDescribeResponse(describeResponse({ All: false })), 'p');
    expect(a).toEqual(b);
    expect(JSON.stringify(toRequestBody(a.merged))).not.toContain('All');
  });

  it('keeps the fields the file leaves out, and says so', () => {
    const plan = planSettings({ scanTime: '02:30' }, fromDescribeResponse(describeResponse()), 'p.yaml');
    expect(plan.changes).toEqual([{ field: 'scanTime', current: '11:05', desired: '02:30', status: 'change' }]);
    expect(plan.fields.find((d) => d.field === 'scanRisk')).toEqual({ field: 'scanRisk', current: false, desired: false, status: 'kept' });
    expect(plan.fields.find((d) => d.field === 'scanEndTime')).toEqual({ field: 'scanEndTime', current: undefined, desired: undefined, status: 'kept' });
    // The write carries the full settings: the file's values over the current ones (a null list stays unset).
    expect(toRequestBody(plan.merged)).toEqual({
      Enable: true, ScanTime: '02:30', ScanPeriod: 1, ScanVirus: true, ScanRisk: false, ScanVul: true,
      ContainerRunning: false, ScanScope: 1, Images: ['sha256:b', 'sha256:a'], ClusterIDs: [],
    });
    expect(plan.fields.map((d) => d.field)).toEqual(SETTING_FIELDS.map((f) => f.key));
  });

  it('fills required fields neither side has with the set defaults, marked as such', () => {
    const plan = planSettings({ enable: true, scanTime: '01:00' }, {}, 'p.yaml');
    expect(plan.changes.map((d) => [d.field, d.desired, d.note])).toEqual([
      ['enable', true, undefined],
      ['scanTime', '01:00', undefined],
      ['scanPeriod', 1, 'default'],
      ['scanVirus', true, 'default'],
      ['scanRisk', true, 'default'],
      ['scanVul', true, 'default'],
    ]);
  });

  it('needs enable and scanTime from the file when the account has none', () => {
    expect(() => planSettings({ scanTime: '01:00' }, {}, 'p.yaml')).toThrow('"enable" in p.yaml is required: the account has no current value to keep');
    expect(() => planSettings({ enable: false }, {}, 'p.yaml')).toThrow(/"scanTime" in p\.yaml is required/);
  });

  it('checks the cross-field rules on the merged result, naming the key', () => {
    const current = fromDescribeResponse(describeResponse({ ScanScope: 0, Images: [] }));
    expect(() => planSettings({ scanScope: 1 }, current, 'p.yaml')).toThrow('"scanScope" in p.yaml selected needs "images" in p.yaml with at least one image');
    // Images the account already has satisfy the rule.
    expect(planSettings({ scanScope: 1 }, fromDescribeResponse(describeResponse({ ScanScope: 0 })), 'p.yaml').changes.map((d) => d.field)).toEqual(['scanScope']);
  });

  it('treats a missing scope as the API default 0', () => {
    expect(sameValue(field('scanScope'), 0, undefined)).toBe(true);
    expect(sameValue(field('scanScope'), 1, undefined)).toBe(false);
    expect(sameValue(field('containerRunning'), false, undefined)).toBe(false);
  });

  it('is idempotent: after writing the merged settings, the same file plans no change (property)', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const list = fc.array(fc.constantFrom('a', 'b', 'c', 'sha256:1'), { maxLength: 5 });
    const desired = fc.record(
      {
        enable: fc.boolean(), scanTime: time, scanEndTime: time, scanPeriod: fc.integer({ min: 1, max: 30 }),
        scanVirus: fc.boolean(), scanRisk: fc.boolean(), scanVul: fc.boolean(), containerRunning: fc.boolean(),
        scanScope: fc.constantFrom(0, 2) as fc.Arbitrary<0 | 2>, images: list, excludeImages: list, clusterIds: list,
      },
      { requiredKeys: [] },
    ).map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Array.isArray(v) ? [...new Set(v)] : v])) as Partial<ImageScanSettings>);
    fc.assert(
      fc.property(desired, (want) => {
        const start = fromDescribeResponse(describeResponse({ ScanScope: 0 }));
        const plan = planSettings(want, start, 'p');
        // What the service stores and reads back: HH:MM:SS times, lists in any order.
        const body = toRequestBody(plan.merged) as unknown as Record<string, unknown>;
        const stored: Record<string, unknown> = { ...body, RequestId: 'r' };
        for (const k of ['ScanTime', 'ScanEndTime']) if (typeof stored[k] === 'string') stored[k] = `${stored[k] as string}:00`;
        for (const k of ['Images', 'ExcludeImages', 'ClusterIDs']) if (Array.isArray(stored[k])) stored[k] = [...(stored[k] as string[])].reverse();
        const again = planSettings(want, fromDescribeResponse(stored as unknown as DescribeSettingResponse), 'p');
        expect(again.changes).toEqual([]);
        expect(plan.changes.length === 0).toBe(Object.keys(want).every((k) => sameValue(field(k), want[k as keyof ImageScanSettings], start[k as keyof ImageScanSettings])));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a current value tcss cannot read', () => {
  const odd = () => fromDescribeResponse(describeResponse({ ScanScope: 4 as never, ScanTime: '2020-12-28 15:53:26' }));

  it('is kept aside as the server sent it, and get shows it rather than a blank', () => {
    const current = odd();
    expect(current.scanScope).toBeUndefined();
    expect(current.unreadable).toEqual({ scanScope: '4', scanTime: '"2020-12-28 15:53:26"' });
    const table = currentSettingsTable(current, 'req-1');
    expect(table).toMatch(/Scope\s+4 \(not a value tcss knows\)/);
    expect(table).toMatch(/Start time \(UTC\)\s+"2020-12-28 15:53:26" \(not a value tcss knows\)/);
  });

  it('a write that would drop it is refused; one that sets the field replaces it', () => {
    expect(() => planSettings({ scanTime: '01:00' }, odd(), 'p.yaml')).toThrow(
      expect.objectContaining({ code: 'Policy.CannotKeep', message: "the account's current ScanScope (4) is not a value tcss knows, so it cannot be kept" }),
    );
    const plan = planSettings({ scanTime: '01:00', scanScope: 0 }, odd(), 'p.yaml');
    expect(plan.merged.scanScope).toBe(0);
    expect(plan.merged.scanTime).toBe('01:00');
  });
});

