/**
 * @inquirer/prompts is loaded only when the wizard runs. It is bundled alone into
 * dist/vendor/prompts.cjs, required on first use; the built binary is run with the module recorder
 * (test/helpers/module-recorder.cjs) and the files it loaded are searched for the library's own text.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, makeTempHome, type TempHome } from '../helpers/cli.js';
import { RECORDER, recordRun, sourcesFromLog } from '../helpers/loaded-modules.js';
import { KEY, spawnInPty } from '../helpers/pty.js';

/** Text only @inquirer/core's prompt code contains. */
const MARKER = 'User force closed the prompt';

let home: TempHome;
beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(() => home.cleanup());

/** The loaded project files that hold the prompts library's code. */
async function withPrompts(sources: Set<string>): Promise<string[]> {
  const holders: string[] = [];
  for (const source of sources) {
    if (source.startsWith('node:') || source.startsWith('process.')) continue;
    if ((await readFile(join(ROOT, source), 'utf8').catch(() => '')).includes(MARKER)) holders.push(source);
  }
  return holders;
}

async function filesWithMarker(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesWithMarker(path)));
    else if ((await readFile(path, 'utf8').catch(() => '')).includes(MARKER)) found.push(relative(ROOT, path).split('\\').join('/'));
  }
  return found;
}

describe('@inquirer/prompts is loaded only by the wizard', () => {
  it('the marker is in exactly one file of the build, the prompts bundle (so the checks below can see it)', async () => {
    expect(await filesWithMarker(join(ROOT, 'dist'))).toEqual(['dist/vendor/prompts.cjs']);
  });

  it('--version through the parser does not load it', async () => {
    // With another argument, --version goes through dist/tcss.cjs (bare --version is answered by bin/tcss.js).
    const run = await recordRun(['--no-color', '--version'], { home: home.dir });
    expect(run.exitCode).toBe(0);
    expect(run.sources).toContain('dist/tcss.cjs');
    expect(await withPrompts(run.sources)).toEqual([]);
  });

  it('image-scan set --enable --scan-time 01:00 --dry-run does not load it', async () => {
    const run = await recordRun(['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'], { home: home.dir });
    expect(run.exitCode).toBe(0);
    expect(run.sources).toContain('src/cli/commands/image-scan-set.ts');
    expect(await withPrompts(run.sources)).toEqual([]);
  });

  it('the wizard does load it (the same check, seeing it)', async () => {
    const log = join(home.dir, 'wizard-modules.log');
    const session = spawnInPty(['image-scan', 'set', '--dry-run'], {
      home: home.dir,
      env: { NODE_OPTIONS: `--require ${RECORDER}`, TCSS_MODULE_LOG: log },
    });
    await session.waitFor('Turn scheduled image scans on?');
    session.type(KEY.ctrlC);
    expect((await session.exit()).code).toBe(130);
    const sources = await sourcesFromLog(await readFile(log, 'utf8'));
    expect(await withPrompts(sources)).toEqual(['dist/vendor/prompts.cjs']);
  });
});
