/** Keeps the shipped JSON Schemas and the example config in step with the code. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLOBAL_CONFIG_KEYS, validateConfig } from '../../src/core/config/schema.js';
import { resolveSettings, SETTING_FIELDS } from '../../src/core/settings/fields.js';
import { ROOT } from '../helpers/cli.js';

const readJson = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8')) as Record<string, unknown>;
type Schema = { properties: Record<string, { type?: string }>; additionalProperties: boolean };
const settingKeys = SETTING_FIELDS.map((f) => f.key as string).sort();

describe('schemas', () => {
  it('policy schema: exactly the setting keys (plus $schema), nothing else allowed', async () => {
    const schema = (await readJson('schema/tcss-policy.schema.json')) as unknown as Schema;
    expect(Object.keys(schema.properties).filter((k) => k !== '$schema').sort()).toEqual(settingKeys);
    expect(schema.additionalProperties).toBe(false);
  });

  it('config schema: the global keys with their types, and imageScan with the setting keys', async () => {
    const schema = (await readJson('schema/tcss.schema.json')) as unknown as Schema & { properties: { imageScan: Schema } };
    const top = Object.keys(schema.properties).filter((k) => k !== '$schema' && k !== 'imageScan').sort();
    expect(top).toEqual(Object.keys(GLOBAL_CONFIG_KEYS).sort());
    for (const [key, type] of Object.entries(GLOBAL_CONFIG_KEYS)) expect(schema.properties[key]?.type, key).toBe(type);
    expect(Object.keys(schema.properties.imageScan.properties).sort()).toEqual(settingKeys);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.imageScan.additionalProperties).toBe(false);
  });

  it('the policy schema and the config imageScan section describe each key the same way', async () => {
    const policy = (await readJson('schema/tcss-policy.schema.json')) as unknown as Schema;
    const config = (await readJson('schema/tcss.schema.json')) as unknown as { properties: { imageScan: Schema } };
    for (const key of settingKeys) expect(config.properties.imageScan.properties[key], key).toEqual(policy.properties[key]);
  });
});

describe('.tcssrc.example.json', () => {
  it('shows every key, points at the shipped schema, and validates', async () => {
    const example = await readJson('.tcssrc.example.json');
    expect(example.$schema).toBe('./schema/tcss.schema.json');
    // Every key but `proxy`: a copied example must not send everything through a proxy that does not exist.
    expect(Object.keys(example).filter((k) => k !== '$schema').sort()).toEqual(
      [...Object.keys(GLOBAL_CONFIG_KEYS).filter((k) => k !== 'proxy'), 'imageScan'].sort(),
    );
    const config = validateConfig(example, '.tcssrc.example.json');
    expect(Object.keys(config.imageScan ?? {}).sort()).toEqual(settingKeys);
    // Its imageScan section is a valid set of settings too.
    expect(() => resolveSettings([{ source: 'config', values: config.imageScan ?? {}, where: (f) => f.key }])).not.toThrow();
  });
});

describe('the package names no web address it does not have', () => {
  it('package.json has no repository, homepage or bugs URL, and the schemas are identified without one', async () => {
    const pkg = await readJson('package.json');
    for (const field of ['repository', 'homepage', 'bugs']) expect(pkg[field], field).toBeUndefined();
    expect(pkg.license).toBe('MIT');
    expect((await readFile(join(ROOT, 'LICENSE'), 'utf8')).startsWith('MIT License\n')).toBe(true);
    for (const file of ['schema/tcss.schema.json', 'schema/tcss-policy.schema.json']) {
      expect((await readJson(file)).$id, file).toMatch(/^urn:tcss-cli:schema:/);
    }
  });
});
