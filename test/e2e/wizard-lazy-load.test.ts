/**
 * @inquirer/prompts is loaded only when the wizard runs (issue #3): the built binary is run with a module
 * loader hook that records every module it loads, and the recorded files are searched for the library.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';
import { KEY, spawnInPty } from '../helpers/pty.js';

const HOOK = pathToFileURL(fileURLToPath(new URL('../helpers/record-modules.mjs', import.meta.url))).href;
/** Text only @inquirer/core's prompt code contains. */
const MARKER = 'User force closed the prompt';

let home: TempHome;
let runs = 0;
beforeAll(async () => {
  home = await makeTempHome();
});
afterAll(() => home.cleanup());

function recordingEnv(): { env: Record<string, string>; log: string } {
  const log = join(home.dir, `modules-${++runs}.log`);
  return { log, env: { NODE_OPTIONS: `--import ${HOOK}`, TCSS_TEST_MODULE_LOG: log } };
}

/** The files of the modules a run loaded, and whether any of them is the prompts library. */
async function inspect(log: string): Promise<{ files: string[]; inquirer: string[] }> {
  const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  const files = urls.map((u) => fileURLToPath(u));
  const inquirer: string[] = [];
  for (const file of files) if ((await readFile(file, 'utf8')).includes(MARKER)) inquirer.push(file);
  return { files, inquirer };
}

describe('@inquirer/prompts is loaded only by the wizard', () => {
  it('the marker identifies exactly one chunk of the build (so the checks below can see it)', async () => {
    const dir = join(ROOT, 'dist', 'chunks');
    const holders: string[] = [];
    for (const name of await readdir(dir)) if ((await readFile(join(dir, name), 'utf8')).includes(MARKER)) holders.push(name);
    expect(holders).toHaveLength(1);
    expect(await readFile(join(ROOT, 'dist', 'cli.js'), 'utf8')).not.toContain(MARKER);
  });

  it('--version does not load it', async () => {
    const { env, log } = recordingEnv();
    // With another argument, --version goes through dist/cli.js (bare --version is answered by bin/tcss.js).
    const result = await runTcss(['--no-color', '--version'], { home: home.dir, env });
    expect(result.exitCode).toBe(0);
    const { files, inquirer } = await inspect(log);
    expect(files.some((f) => f.endsWith(join('dist', 'cli.js')))).toBe(true);
    expect(inquirer).toEqual([]);
  });

  it('image-scan set --enable --scan-time 01:00 --dry-run does not load it', async () => {
    const { env, log } = recordingEnv();
    const result = await runTcss(['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'], { home: home.dir, env });
    expect(result.exitCode).toBe(0);
    const { files, inquirer } = await inspect(log);
    expect(files.some((f) => /image-scan-set-[^/]+\.js$/.test(f))).toBe(true);
    expect(inquirer).toEqual([]);
  });

  it('the wizard does load it (the same check, seeing it)', async () => {
    const { env, log } = recordingEnv();
    const session = spawnInPty(['image-scan', 'set', '--dry-run'], { home: home.dir, env });
    await session.waitFor('Turn scheduled image scans on?');
    session.type(KEY.ctrlC);
    expect((await session.exit()).code).toBe(130);
    const { inquirer } = await inspect(log);
    expect(inquirer).toHaveLength(1);
  });
});
