import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/core/settings/policy.js';

let dir: string;
const write = async (name: string, text: string | Buffer): Promise<void> => writeFile(join(dir, name), text);
const load = (name: string) => loadPolicy(name, { cwd: dir, home: '/nonexistent-home' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcss-policy-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadPolicy', () => {
  it('reads JSON and parses every value with the flag rules', async () => {
    await write('p.json', JSON.stringify({ $schema: './x.json', enable: true, scanTime: '11:05:00', scanPeriod: '7', scanScope: 'selected', images: 'b,a, a' }));
    await expect(load('p.json')).resolves.toEqual({
      file: 'p.json',
      desired: { enable: true, scanTime: '11:05', scanPeriod: 7, scanScope: 1, images: ['b', 'a'] },
    });
  });

  it('reads YAML (.yaml, .yml, and by content without an extension)', async () => {
    const yaml = '# policy\nenable: false\nscanTime: "01:00"\nexcludeImages:\n  - sha256:1\n  - sha256:1\nclusterIds:\n';
    for (const name of ['p.yaml', 'p.yml', 'policy']) {
      await write(name, yaml);
      await expect(load(name)).resolves.toEqual({
        file: name,
        desired: { enable: false, scanTime: '01:00', excludeImages: ['sha256:1'], clusterIds: [] },
      });
    }
  });

  it('a YAML alias inside its own anchor is a one-line Policy.Invalid, not a crash; an alias used twice is fine', async () => {
    for (const text of ['enable: true\nscanTime: "01:00"\nexcludeImages: &a [*a]\n', 'enable: true\nexcludeImages: &a [x, *a]\n']) {
      await write('loop.yaml', text);
      await expect(load('loop.yaml')).rejects.toMatchObject({ code: 'Policy.Invalid', message: 'loop.yaml refers to itself (a YAML alias inside its own anchor)' });
    }
    await write('twice.yaml', 'enable: true\nscanTime: "01:00"\nimages: &i [a, b]\nexcludeImages: *i\n');
    await expect(load('twice.yaml')).resolves.toMatchObject({ desired: { images: ['a', 'b'], excludeImages: ['a', 'b'] } });
  });

  it('keeps YAML 1.1 words as text: "yes" is not a switch', async () => {
    await write('yes.yaml', 'enable: yes\n');
    await expect(load('yes.yaml')).rejects.toMatchObject({
      code: 'Policy.InvalidValue',
      message: 'the value "yes" of "enable" in yes.yaml is not a valid switch: use true or false',
    });
  });

  it('names the file and the key in value errors, with the flags\' wording', async () => {
    await write('bad-time.yaml', 'enable: true\nscanTime: "25:00"\n');
    await expect(load('bad-time.yaml')).rejects.toMatchObject({
      exitCode: 2,
      code: 'Policy.InvalidValue',
      message: 'the value "25:00" of "scanTime" in bad-time.yaml is not a valid time: use HH:MM from 00:00 to 23:59 (UTC)',
    });
    await write('bad-scope.json', '{"scanScope": 9}');
    await expect(load('bad-scope.json')).rejects.toMatchObject({
      message: 'the value "9" of "scanScope" in bad-scope.json is not a valid scope: use 0-3 or all, selected, recommended, cluster',
    });
    await write('bad-list.json', '{"images": ["a", ""]}');
    await expect(load('bad-list.json')).rejects.toMatchObject({ message: '"images" in bad-list.json has an empty item: remove the extra comma or give a value' });
  });

  it('clears with null, "none" or []: the end time becomes null (cleared, not "not given"), lists empty', async () => {
    await write('clear.yaml', 'scanEndTime: null\nimages: none\nexcludeImages: []\nclusterIds:\n');
    expect((await load('clear.yaml')).desired).toStrictEqual({ scanEndTime: null, images: [], excludeImages: [], clusterIds: [] });
  });

  it('refuses unknown keys with a suggestion, and the deprecated All', async () => {
    await write('typo.yaml', 'enable: true\nscanTim: "01:00"\n');
    await expect(load('typo.yaml')).rejects.toMatchObject({ code: 'Policy.UnknownKey', message: 'typo.yaml: unknown key "scanTim" (did you mean "scanTime"?)' });
    await write('all.json', '{"All": true}');
    await expect(load('all.json')).rejects.toMatchObject({ code: 'Policy.UnknownKey' });
  });

  it('a config file\'s section pasted whole ({"imageScan": {…}}) is told that a policy holds the settings themselves', async () => {
    await write('wrapped.json', '{"imageScan": {"enable": true, "scanTime": "01:00"}}');
    await expect(load('wrapped.json')).rejects.toMatchObject({
      code: 'Policy.UnknownKey',
      message: 'wrapped.json: unknown key "imageScan": a policy file holds the image-scan settings themselves, not a config file\'s "imageScan" section',
      hint: 'move the keys inside "imageScan" to the top level of the file (see schema/tcss-policy.schema.json)',
    });
  });

  it('reports syntax errors by position only, never quoting the text', async () => {
    await write('broken.yaml', 'enable: true\nscanTime: [\n  "01:00"\n  nope: x\n');
    const yamlError = await load('broken.yaml').catch((e: Error) => e);
    expect(yamlError).toMatchObject({ code: 'Policy.Unparsable' });
    expect((yamlError as Error).message).toMatch(/^cannot parse broken\.yaml \(line \d+\): check its YAML syntax$/);
    await write('broken.json', '{"enable": true, "secretish": nope}');
    const jsonError = await load('broken.json').catch((e: Error) => e);
    expect((jsonError as Error).message).toMatch(/^cannot parse broken\.json( \(at character \d+\))?: check its JSON syntax$/);
    expect((jsonError as Error).message).not.toContain('nope');
  });

  it('refuses missing, empty, settings-free, non-object and non-UTF-8 files', async () => {
    await expect(load('missing.yaml')).rejects.toMatchObject({ code: 'Policy.NotFound', message: '--file missing.yaml: no such file' });
    await mkdir(join(dir, 'adir'), { recursive: true });
    await expect(load('adir')).rejects.toMatchObject({ code: 'Policy.NotFound' });
    await write('empty.yaml', '');
    await expect(load('empty.yaml')).rejects.toMatchObject({ code: 'Policy.Invalid', message: 'empty.yaml is empty: give at least one image-scan setting' });
    await write('none.json', '{"$schema": "x"}');
    await expect(load('none.json')).rejects.toMatchObject({ code: 'Policy.Invalid', message: 'none.json holds no image-scan settings' });
    await write('list.yaml', '- enable\n');
    await expect(load('list.yaml')).rejects.toMatchObject({ code: 'Policy.Invalid', message: 'policy file list.yaml holds a list: it must be an object of image-scan settings' });
    await write('scalar.json', '"enable"');
    await expect(load('scalar.json')).rejects.toMatchObject({
      code: 'Policy.Invalid',
      message: 'policy file scalar.json holds a single string value: it must be an object of image-scan settings',
      hint: expect.stringContaining('schema/tcss-policy.schema.json'),
    });
    await write('latin1.yaml', Buffer.from([0x65, 0x6e, 0x3a, 0x20, 0xe9, 0x0a]));
    await expect(load('latin1.yaml')).rejects.toMatchObject({ code: 'Policy.Unparsable', message: 'latin1.yaml is not UTF-8 text' });
    await expect(loadPolicy(' ', { cwd: dir, home: '/h' })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('shows an absolute path under home with ~', async () => {
    await write('abs.json', '{"enable": true}');
    await expect(loadPolicy(join(dir, 'abs.json'), { cwd: '/', home: dir })).resolves.toMatchObject({ file: '~/abs.json' });
  });
});

describe('loadPolicy from standard input', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
    for (const part of parts) yield Buffer.from(part);
  }

  it('reads `-` from the stream given, across chunks, and names it (stdin)', async () => {
    const stdin = Object.assign(chunks('enable: true\nscan', 'Time: "02:30"\n'), { isTTY: false });
    const policy = await loadPolicy('-', { cwd: '/', home: '/h', stdin });
    expect(policy).toEqual({ file: '(stdin)', desired: { enable: true, scanTime: '02:30' } });
  });

  it('refuses `-` when standard input is a terminal, and a stream over the size limit', async () => {
    const tty = Object.assign(chunks('{}'), { isTTY: true });
    await expect(loadPolicy('-', { cwd: '/', home: '/h', stdin: tty })).rejects.toMatchObject({ code: 'Usage.InvalidValue' });
    const huge = Object.assign(chunks('#'.repeat(700 * 1024), '#'.repeat(700 * 1024)), { isTTY: false });
    await expect(loadPolicy('-', { cwd: '/', home: '/h', stdin: huge })).rejects.toMatchObject({ code: 'Policy.Invalid' });
  });
});
