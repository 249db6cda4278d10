/**
 * `tcss completion bash|zsh|fish`: the bash script is sourced into a real bash and its completion function is
 * driven as bash drives it (COMP_WORDS, COMP_CWORD), the candidates read back from COMPREPLY. The zsh and fish
 * scripts pass their shell's syntax check; fish's are also asked for candidates (`complete -C`). Profile names
 * come from the credential files when Tab is pressed, through the `tcss` on PATH: the built binary.
 */
import { execa } from 'execa';
import { mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, makeTempHome, runTcss, type TempHome } from '../helpers/cli.js';

let home: TempHome;
let binDir: string;
let scripts: Record<'bash' | 'zsh' | 'fish', string>;

/** Whether a shell is installed; CI installs zsh and fish (.ci/run), where a missing one fails the test. */
async function has(shell: string): Promise<boolean> {
  const found = (await execa('sh', ['-c', `command -v ${shell}`], { reject: false })).exitCode === 0;
  if (!found && process.env.TCSS_REQUIRE_SHELLS === '1') throw new Error(`${shell} is not installed (TCSS_REQUIRE_SHELLS=1)`);
  return found;
}

beforeAll(async () => {
  home = await makeTempHome();
  // `tcss` on PATH is the built binary, as after `npm install --global`.
  binDir = join(home.dir, 'bin');
  await mkdir(binDir);
  await symlink(BIN, join(binDir, 'tcss'));
  scripts = { bash: '', zsh: '', fish: '' };
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const result = await runTcss(['completion', shell], { home: home.dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    scripts[shell] = await home.file(`completion.${shell}`, result.stdout);
  }
});
afterAll(() => home?.cleanup());

const shellEnv = (): Record<string, string | undefined> => cleanEnv(home.dir, { PATH: `${binDir}:${process.env.PATH}` });

/** Sources the bash script, completes the last word of `words` (after `tcss`), and returns COMPREPLY. */
async function bashComplete(words: string[], cwd = home.dir): Promise<string[]> {
  const driver = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _tcss; printf "%s\\n" "${COMPREPLY[@]}"';
  const result = await execa('bash', ['--norc', '--noprofile', '-c', driver, 'bash', scripts.bash, 'tcss', ...words], {
    env: shellEnv(),
    extendEnv: false,
    cwd,
  });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean).sort();
}

/** The commands and options `--help` lists at each command path: what completion must offer. */
async function helpTree(): Promise<Map<string, { commands: string[]; options: string[] }>> {
  const tree = new Map<string, { commands: string[]; options: string[] }>();
  const queue: string[][] = [[]];
  while (queue.length > 0) {
    const path = queue.shift() as string[];
    const { stdout } = await runTcss([...path, '--help'], { home: home.dir });
    const section = stdout.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
    const commands = section
      .split('\n')
      .map((line) => /^ {2}([a-z][a-z-]*)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined && name !== 'help');
    const options = [...stdout.matchAll(/^ {2}(?:(-\w), )?(--[a-z][a-z-]*)/gm)].flatMap((m) => [m[2] as string, ...(m[1] ? [m[1]] : [])]);
    tree.set(path.join(' '), { commands, options: [...new Set(options)].sort() });
    for (const command of commands) queue.push([...path, command]);
  }
  return tree;
}

describe('tcss completion bash, in a real bash', () => {
  it('registers _tcss for tcss', async () => {
    const result = await execa('bash', ['--norc', '--noprofile', '-c', 'source "$1" && complete -p tcss', 'bash', scripts.bash], { env: shellEnv(), extendEnv: false });
    expect(result.stdout).toBe('complete -F _tcss tcss');
  });

  it('offers exactly the commands and options that --help lists, at every level', async () => {
    const tree = await helpTree();
    expect([...tree.keys()]).toEqual(expect.arrayContaining(['', 'image-scan', 'image-scan set', 'image-scan apply', 'emulator', 'completion']));
    for (const [path, { commands, options }] of tree) {
      const words = path === '' ? [] : path.split(' ');
      expect(await bashComplete([...words, '-']), `options at "tcss ${path}"`).toEqual(options);
      if (commands.length > 0) expect(await bashComplete([...words, '']), `commands at "tcss ${path}"`).toEqual([...commands].sort());
    }
  });

  it('completes prefixes of commands and options, and skips option values when finding the command', async () => {
    expect(await bashComplete(['image-scan', 's'])).toEqual(['set']);
    expect(await bashComplete(['image-scan', 'set', '--scan-s'])).toEqual(['--scan-scope']);
    expect(await bashComplete(['image-scan', 'set', '--no-scan-v'])).toEqual(['--no-scan-virus', '--no-scan-vul']);
    expect(await bashComplete(['image-scan', 'apply', '--al'])).toEqual(['--all-profiles']);
    // "get" after --output is the option's value, not a command; the command is found after it.
    expect(await bashComplete(['--output', 'json', 'image-scan', ''])).toEqual(['apply', 'diff', 'get', 'set']);
    expect(await bashComplete(['--region', 'image-scan', ''])).toEqual(['completion', 'emulator', 'image-scan', 'whoami']);
    // A command without subcommands offers its options on an empty word.
    expect(await bashComplete(['image-scan', 'get', ''])).toContain('--output');
    expect(await bashComplete(['nonsense', ''])).toEqual(['completion', 'emulator', 'image-scan', 'whoami']);
  });

  it('offers the values of --scan-scope, --output, --language and the shells of completion', async () => {
    expect(await bashComplete(['image-scan', 'set', '--scan-scope', ''])).toEqual(['all', 'cluster', 'recommended', 'selected']);
    expect(await bashComplete(['image-scan', 'set', '--scan-scope', 'se'])).toEqual(['selected']);
    expect(await bashComplete(['image-scan', 'get', '--output', ''])).toEqual(['json', 'text']);
    expect(await bashComplete(['--language', ''])).toEqual(['en-US', 'zh-CN']);
    expect(await bashComplete(['completion', ''])).toEqual(['bash', 'fish', 'zsh']);
    // bash splits --output=j at "=" into three words; with "=" left out of COMP_WORDBREAKS it is one.
    expect(await bashComplete(['image-scan', 'get', '--output', '=', 'j'])).toEqual(['json']);
    expect(await bashComplete(['image-scan', 'get', '--output', '='])).toEqual(['json', 'text']);
    expect(await bashComplete(['image-scan', 'get', '--output=j'])).toEqual(['--output=json']);
    // An option whose value is free text offers nothing (not the commands).
    expect(await bashComplete(['image-scan', 'set', '--scan-time', ''])).toEqual([]);
  });

  it('the values offered are the ones the CLI accepts', async () => {
    const set = ['image-scan', 'set', '--enable', '--scan-time', '01:00', '--dry-run'];
    const extra: Record<string, string[]> = { selected: ['--images', 'sha256:525b6e9f'], cluster: ['--cluster-ids', 'cls-1'] };
    for (const scope of await bashComplete(['image-scan', 'set', '--scan-scope', ''])) {
      const result = await runTcss([...set, '--scan-scope', scope, ...(extra[scope] ?? [])], { home: home.dir });
      expect(result.stderr, scope).toContain('dry run');
      expect(result.exitCode, scope).toBe(0);
    }
    for (const [option, values] of [
      ['--output', await bashComplete(['--output', ''])],
      ['--language', await bashComplete(['--language', ''])],
    ] as const) {
      expect(values.length).toBe(2);
      for (const value of values) expect((await runTcss([...set, option, value], { home: home.dir })).exitCode, `${option} ${value}`).toBe(0);
    }
  });

  it('completes file names for --config, --file and --state', async () => {
    const dir = join(home.dir, 'project');
    await mkdir(join(dir, 'policies'), { recursive: true });
    await writeFile(join(dir, 'policy.yaml'), '');
    await writeFile(join(dir, 'policy.json'), '');
    expect(await bashComplete(['image-scan', 'apply', '-f', 'pol'], dir)).toEqual(['policies', 'policy.json', 'policy.yaml']);
    expect(await bashComplete(['image-scan', 'diff', '--file', 'policy.y'], dir)).toEqual(['policy.yaml']);
    expect(await bashComplete(['--config', 'policy.j'], dir)).toEqual(['policy.json']);
    expect(await bashComplete(['emulator', '--state', 'policies'], dir)).toEqual(['policies']);
  });

  it('offers profile names from the credential files, read when Tab is pressed, and runs nothing it finds', async () => {
    const user = await makeTempHome();
    try {
      const driver = async (words: string[]): Promise<string[]> => {
        const driverScript = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tcss; printf "%s\\n" "${COMPREPLY[@]}"';
        const result = await execa('bash', ['--norc', '--noprofile', '-c', driverScript, 'bash', scripts.bash, 'tcss', ...words], {
          env: cleanEnv(user.dir, { PATH: `${binDir}:${process.env.PATH}` }),
          extendEnv: false,
          cwd: user.dir,
        });
        expect(result.stderr).toBe('');
        return result.stdout.split('\n').filter(Boolean).sort();
      };
      // No credential files: no names, no error.
      expect(await driver(['--profile', ''])).toEqual([]);

      await user.tccli('prod', { secretId: 'AKIDprod', secretKey: 'prodSecretKey' });
      await user.tccli('dev', { secretId: 'AKIDdev', secretKey: 'devSecretKey' });
      const pwned = join(user.dir, 'pwned');
      // Names that are commands in disguise: not valid profile names, never offered, never run.
      await user.file(`.tccli/$(touch ${pwned}).credential`, '{}');
      await user.file('.tccli/`touch pwned`.credential', '{}');
      await user.file('.tccli/.hidden.credential', '{}');
      await user.sdkIni({ default: { secret_id: 'AKIDdefault', secret_key: 'defaultSecretKey' }, staging: { secret_id: 'AKIDstaging', secret_key: 'stagingKey' }, [`$(touch ${pwned})`]: { secret_id: 'x' } });
      const before = await snapshot(user.dir);

      expect(await driver(['--profile', ''])).toEqual(['default', 'dev', 'prod', 'staging']);
      expect(await driver(['image-scan', 'get', '--profile', 'p'])).toEqual(['prod']);
      // --profiles is comma-separated: the last name is completed.
      expect(await driver(['image-scan', 'apply', '--profiles', 'prod,s'])).toEqual(['prod,staging']);
      expect(await driver(['image-scan', 'diff', '--profiles', ''])).toEqual(['default', 'dev', 'prod', 'staging']);

      // Looked up at completion time: a profile added after the script was loaded is offered at once.
      await user.tccli('late', { secretId: 'AKIDlate', secretKey: 'lateSecretKey' });
      expect(await driver(['--profile', 'l'])).toEqual(['late']);

      // Read only, and nothing found was run: the same files, unchanged, and no "pwned" anywhere.
      const after = await snapshot(user.dir);
      after.delete('.tccli/late.credential');
      expect(after).toEqual(before);
      await expect(stat(pwned)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(stat(join(user.dir, 'pwned'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await user.cleanup();
    }
  });
});

/** Every file under a folder with its size and modification time. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const s = await stat(path);
    files.set(path.slice(dir.length + 1), entry.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`);
  }
  return files;
}

describe('tcss completion --profiles (what the scripts run)', () => {
  it('prints the valid profile names one a line and never a key', async () => {
    const user = await makeTempHome();
    try {
      await user.tccli('prod', { secretId: 'AKIDprodcompletion', secretKey: 'prodCompletionSecret' });
      await user.sdkIni({ staging: { secret_id: 'AKIDstagingcompletion', secret_key: 'stagingCompletionSecret' } });
      const result = await runTcss(['completion', '--profiles'], { home: user.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe('prod\nstaging\n');
      expect(result.stderr).toBe('');
    } finally {
      await user.cleanup();
    }
  });
});

describe('tcss completion: bad input', () => {
  it('no shell, an unknown shell, or a shell with --profiles: one line, exit 2', async () => {
    for (const [args, message] of [
      [['completion'], /^Error \[Usage\.MissingValue\]: tcss completion needs a shell: bash, zsh, fish\n/],
      [['completion', 'powershell'], /^Error \[Usage\.InvalidValue\]: no completion for shell "powershell": use bash, zsh, fish\n/],
      [['completion', 'bash', '--profiles'], /^Error \[Usage\.InvalidArguments\]: tcss completion --profiles takes no shell\n/],
      [['completion', 'bash', 'zsh'], /^Error \[Usage\.InvalidArguments\]: too many arguments/],
    ] as const) {
      const result = await runTcss(args, { home: home.dir });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('tcss completion zsh and fish', () => {
  it('zsh: passes zsh -n, loads under compinit and registers _tcss', async (context) => {
    if (!(await has('zsh'))) return context.skip();
    expect((await execa('zsh', ['-n', scripts.zsh], { reject: false })).exitCode).toBe(0);
    const load = 'autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump" && source "$1" && print -r -- ${_comps[tcss]} && _tcss_value_kind "tcss image-scan set" --scan-scope && print -r -- $_tcss_kind';
    const result = await execa('zsh', ['-f', '-c', load, 'zsh', scripts.zsh], { env: shellEnv(), extendEnv: false, cwd: home.dir });
    expect(result.stdout).toBe('_tcss\nwords all selected recommended cluster');
  });

  it('fish: passes fish -n and offers commands, values and profile names', async (context) => {
    if (!(await has('fish'))) return context.skip();
    expect((await execa('fish', ['-n', scripts.fish], { reject: false })).exitCode).toBe(0);
    const user = await makeTempHome();
    try {
      await user.tccli('prod', { secretId: 'AKIDprod', secretKey: 'prodSecretKey' });
      const ask = async (line: string): Promise<string[]> => {
        const result = await execa('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish, line], {
          env: cleanEnv(user.dir, { PATH: `${binDir}:${process.env.PATH}` }),
          extendEnv: false,
          cwd: user.dir,
        });
        return result.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0] as string).sort();
      };
      expect(await ask('tcss ')).toEqual(['completion', 'emulator', 'image-scan', 'whoami']);
      expect(await ask('tcss image-scan ')).toEqual(['apply', 'diff', 'get', 'set']);
      expect(await ask('tcss image-scan set --scan-scope ')).toEqual(['all', 'cluster', 'recommended', 'selected']);
      expect(await ask('tcss --output j')).toEqual(['json']);
      // tcss emulator refuses the global options, and its help does not list them: neither does completion.
      expect(await ask('tcss emulator --')).toEqual(['--cvm-role', '--help', '--oidc-provider', '--oidc-token', '--port', '--role', '--secret-id', '--secret-key', '--state']);
      expect(await ask('tcss image-scan get --ou')).toEqual(['--output']);
      expect(await ask('tcss image-scan get --profile ')).toEqual(['prod']);
      expect(await ask('tcss completion ')).toEqual(['bash', 'fish', 'zsh']);
    } finally {
      await user.cleanup();
    }
  });
});
