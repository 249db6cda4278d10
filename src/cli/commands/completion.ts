/**
 * `tcss completion bash|zsh|fish`: prints the shell's completion script (src/cli/completion.ts). With the hidden
 * `--profiles`, prints the profile names of the credential files, one a line: what the scripts run at Tab.
 */
import type { Command } from 'commander';
import { listProfiles } from '../../core/credentials/index.js';
import { homeDir } from '../../core/env.js';
import { UsageError } from '../../core/errors.js';
import type { RunEnvironment } from '../context.js';
import { SHELLS, completionScript, type Shell } from '../completion.js';

/** Profile names as --profile accepts them (a leading "." is refused there). */
const PROFILE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

export async function completionCommand(run: RunEnvironment, program: Command, shell: string | undefined, flags: { profiles?: boolean }): Promise<number> {
  if (flags.profiles) {
    if (shell !== undefined) throw new UsageError('Usage.InvalidArguments', 'tcss completion --profiles takes no shell');
    const names = await listProfiles(homeDir(run.env));
    run.terminal.out.write(names.filter((n) => PROFILE.test(n)).map((n) => `${n}\n`).join(''));
    return 0;
  }
  if (shell === undefined) {
    throw new UsageError('Usage.MissingValue', `tcss completion needs a shell: ${SHELLS.join(', ')}`, { hint: 'for example: source <(tcss completion bash)' });
  }
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError('Usage.InvalidValue', `no completion for shell ${JSON.stringify(shell.slice(0, 32))}: use ${SHELLS.join(', ')}`);
  }
  run.terminal.out.write(completionScript(shell as Shell, program, __TCSS_VERSION__));
  return 0;
}
