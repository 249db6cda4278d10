/**
 * Shell completion scripts for bash, zsh and fish, generated from the commander program itself: its commands,
 * their options (global ones at every level), which options take a value, and for some of those the values
 * (`--scan-scope`, `--output`, `--language`), file names (`--config`, `--file`, `--state`) or profile names
 * (`--profile`, `--profiles`).
 *
 * Profile names are looked up when the user presses Tab, not when the script is made: the script runs
 * `tcss completion --profiles`, which lists the names in ~/.tccli/*.credential and the sections of
 * ~/.tencentcloud/credentials (read only; keys never leave the process). The scripts take that output as
 * plain words: nothing in it is evaluated or run (bash's `compgen -W` would expand `$(…)`, so it is not used).
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What the word after an option is. */
type ValueKind = { kind: 'words'; words: readonly string[] } | { kind: 'file' } | { kind: 'profile' } | { kind: 'any' };

/**
 * Values offered after these options. The CLI accepts exactly these (test/e2e/completion.test.ts runs each);
 * scopes are also accepted as 0-3 and languages in any case, which completion does not offer.
 */
const OPTION_VALUES: Readonly<Record<string, ValueKind>> = {
  '--scan-scope': { kind: 'words', words: ['all', 'selected', 'recommended', 'cluster'] },
  '--output': { kind: 'words', words: ['text', 'json'] },
  '--language': { kind: 'words', words: ['zh-CN', 'en-US'] },
  '--profile': { kind: 'profile' },
  '--profiles': { kind: 'profile' },
  '--config': { kind: 'file' },
  '--file': { kind: 'file' },
  '--state': { kind: 'file' },
};

/** Values of a command's positional argument, by command path. */
const ARGUMENT_VALUES: Readonly<Record<string, readonly string[]>> = {
  'tcss completion': SHELLS,
};

export interface OptionSpec {
  /** `--long` and `-s`, as typed. */
  names: string[];
  description: string;
  /** Undefined for a switch. */
  value: ValueKind | undefined;
}

export interface CommandSpec {
  /** `tcss`, `tcss image-scan`, `tcss image-scan set`, … */
  path: string;
  description: string;
  commands: CommandSpec[];
  /** The command's own options (for `tcss`: the global ones). */
  options: OptionSpec[];
  /** Values of its positional argument, if completion offers any. */
  argumentValues: readonly string[];
  /** Whether its help lists the global options too (`tcss emulator`'s does not: it refuses them). */
  globalOptions: boolean;
}

/** Every word a script spells out is one of these characters: nothing in a script needs quoting but descriptions. */
const WORD = /^[A-Za-z0-9_.-]+$/;
function word(text: string): string {
  if (!WORD.test(text)) throw new Error(`completion: unexpected command or option name ${JSON.stringify(text)}`);
  return text;
}

function optionSpec(option: Option): OptionSpec {
  const names = [option.long, option.short].filter((n): n is string => typeof n === 'string').map(word);
  const takesValue = option.required || option.optional;
  const value = takesValue ? (OPTION_VALUES[option.long ?? ''] ?? { kind: 'any' }) : undefined;
  return { names, description: option.description.split('\n')[0] ?? '', value };
}

/** The completion model of a command and its subcommands, from what its help shows (hidden ones left out). */
export function describeProgram(command: Command, parentPath?: string): CommandSpec {
  const path = parentPath === undefined ? word(command.name()) : `${parentPath} ${word(command.name())}`;
  const help = command.createHelp();
  return {
    path,
    description: command.description().split('\n')[0] ?? '',
    commands: help
      .visibleCommands(command)
      .filter((c) => c.name() !== 'help')
      .map((c) => describeProgram(c, path)),
    options: help.visibleOptions(command).map(optionSpec),
    argumentValues: (ARGUMENT_VALUES[path] ?? []).map(word),
    globalOptions: help.showGlobalOptions,
  };
}

function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

/** Options that take a value, for the parsers in the scripts: [command path or '*' for global, name, kind]. */
function valueOptions(root: CommandSpec): Array<[string, string, ValueKind]> {
  const rows: Array<[string, string, ValueKind]> = [];
  for (const command of allCommands(root)) {
    for (const option of command.options) {
      if (option.value) for (const name of option.names) rows.push([command === root ? '*' : command.path, name, option.value]);
    }
  }
  return rows;
}

/** One token naming a value kind, as the bash and zsh scripts read it: `words a b`, `file`, `profile`, `any`. */
function kindToken(value: ValueKind): string {
  return value.kind === 'words' ? `words ${value.words.map(word).join(' ')}` : value.kind;
}

/** The options offered at a command: its own, then the global ones where its help lists them. */
function optionsAt(root: CommandSpec, command: CommandSpec): OptionSpec[] {
  if (command === root || !command.globalOptions) return command.options;
  // Each command has its own --help; the program's is not offered twice.
  const own = new Set(command.options.flatMap((o) => o.names));
  return [...command.options, ...root.options.filter((o) => !o.names.some((n) => own.has(n)))];
}

/** What a word that does not start with `-` completes to: subcommands, else argument values, else options. */
function wordsAt(root: CommandSpec, command: CommandSpec): string[] {
  if (command.commands.length > 0) return command.commands.map((c) => c.path.split(' ').at(-1) as string);
  if (command.argumentValues.length > 0) return [...command.argumentValues];
  return optionsAt(root, command).flatMap((o) => o.names.filter((n) => n.startsWith('--')));
}

function caseForCommands(root: CommandSpec, indent: string): string {
  return allCommands(root)
    .filter((c) => c !== root)
    .map((c) => {
      const parent = c.path.slice(0, c.path.lastIndexOf(' '));
      return `${indent}"${parent}|${c.path.split(' ').at(-1)}") return 0 ;;`;
    })
    .join('\n');
}

function caseForValues(root: CommandSpec, indent: string): string {
  // Command-specific rows first, global ones (`*|--profile`) last.
  const rows = valueOptions(root).sort((a, b) => Number(a[0] === '*') - Number(b[0] === '*'));
  return rows.map(([path, name, value]) => `${indent}${path === '*' ? `*"|${name}"` : `"${path}|${name}"`}) _tcss_kind="${kindToken(value)}" ;;`).join('\n');
}

const PROFILE_LOOKUP = 'command tcss completion --profiles 2>/dev/null';

function bashScript(root: CommandSpec, version: string): string {
  const words = allCommands(root)
    .map((c) => `    "${c.path}") _tcss_list="${wordsAt(root, c).join(' ')}" ;;`)
    .join('\n');
  const options = allCommands(root)
    .map((c) => `    "${c.path}") _tcss_list="${optionsAt(root, c).flatMap((o) => o.names).join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for tcss (generated by tcss ${version}: tcss completion bash)
#   one shell:  source <(tcss completion bash)
#   every one:  tcss completion bash > ~/.local/share/bash-completion/completions/tcss

# Succeeds when $2 is a subcommand of the command path $1.
_tcss_is_command() {
  case "$1|$2" in
${caseForCommands(root, '    ')}
  esac
  return 1
}

# Sets _tcss_kind to what the word after option $2 of command path $1 is; fails for a switch.
_tcss_value_kind() {
  _tcss_kind=""
  case "$1|$2" in
${caseForValues(root, '    ')}
    *) return 1 ;;
  esac
}

# Sets _tcss_list to the words (or, with $2 = options, the options) offered at command path $1.
_tcss_list_at() {
  _tcss_list=""
  if [[ $2 == options ]]; then
    case "$1" in
${options}
    esac
  else
    case "$1" in
${words}
    esac
  fi
}

# Adds the words of $2 (split on whitespace, never expanded) that start with $1 to COMPREPLY, each after $3.
_tcss_offer() {
  local candidate
  for candidate in $2; do
    [[ $candidate == "$1"* ]] && COMPREPLY+=("$3$candidate")
  done
}

_tcss() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" tpath=tcss word pending="" i prefix=""
  local _tcss_kind _tcss_list
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n $pending ]]; then
      # bash splits --option=value at "=" (COMP_WORDBREAKS): the value is the word after it.
      [[ $word == "=" ]] && continue
      pending=""
      continue
    fi
    case "$word" in
      --*=*) ;;
      -*) _tcss_value_kind "$tpath" "$word" && pending="$_tcss_kind" ;;
      *) _tcss_is_command "$tpath" "$word" && tpath="$tpath $word" ;;
    esac
  done
  [[ $cur == "=" ]] && cur=""
  if [[ -z $pending && $cur == --*=* ]] && _tcss_value_kind "$tpath" "\${cur%%=*}"; then
    pending="$_tcss_kind"
    prefix="\${cur%%=*}="
    cur="\${cur#*=}"
  fi
  if [[ -n $pending ]]; then
    case "$pending" in
      words\\ *) _tcss_offer "$cur" "\${pending#words }" "$prefix" ;;
      file)
        compopt -o filenames 2>/dev/null
        local file
        while IFS= read -r file; do COMPREPLY+=("$prefix$file"); done < <(compgen -f -- "$cur")
        ;;
      profile)
        # --profiles takes a comma-separated list: complete the last name.
        local before="" name
        [[ $cur == *,* ]] && before="\${cur%,*},"
        while IFS= read -r name; do
          [[ $name =~ ^[A-Za-z0-9_.-]+$ && $name == "\${cur##*,}"* ]] && COMPREPLY+=("$prefix$before$name")
        done < <(${PROFILE_LOOKUP})
        ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then _tcss_list_at "$tpath" options; else _tcss_list_at "$tpath" words; fi
  _tcss_offer "$cur" "$_tcss_list" ""
  return 0
}

complete -F _tcss tcss
`;
}

/** A zsh or fish single-quoted string. */
function zshQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function zshScript(root: CommandSpec, version: string): string {
  const described = (c: CommandSpec, what: 'words' | 'options'): string[] => {
    if (what === 'options') return optionsAt(root, c).flatMap((o) => o.names.map((n) => `${n}:${o.description}`));
    if (c.commands.length > 0) return c.commands.map((s) => `${s.path.split(' ').at(-1)}:${s.description}`);
    if (c.argumentValues.length > 0) return [...c.argumentValues];
    return optionsAt(root, c).flatMap((o) => o.names.filter((n) => n.startsWith('--')).map((n) => `${n}:${o.description}`));
  };
  const cases = (what: 'words' | 'options'): string =>
    allCommands(root)
      .map((c) => `      "${c.path}") reply=(${described(c, what).map(zshQuote).join(' ')}) ;;`)
      .join('\n');
  return `#compdef tcss
# zsh completion for tcss (generated by tcss ${version}: tcss completion zsh)
#   one shell:  source <(tcss completion zsh)      (after compinit)
#   every one:  tcss completion zsh > "\${fpath[1]}/_tcss"   (a folder on $fpath; then restart zsh)

_tcss_is_command() {
  case "$1|$2" in
${caseForCommands(root, '    ')}
  esac
  return 1
}

_tcss_value_kind() {
  _tcss_kind=""
  case "$1|$2" in
${caseForValues(root, '    ')}
    *) return 1 ;;
  esac
}

# Sets reply to "name:description" entries (with $2 = options, the options) offered at command path $1.
_tcss_described() {
  reply=()
  if [[ $2 == options ]]; then
    case "$1" in
${cases('options')}
    esac
  else
    case "$1" in
${cases('words')}
    esac
  fi
}

_tcss() {
  setopt localoptions extendedglob
  local cur="\${words[CURRENT]}" tpath=tcss word pending="" i _tcss_kind
  local -a reply candidates
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ -n $pending ]]; then pending=""; continue; fi
    case "$word" in
      --*=*) ;;
      -*) _tcss_value_kind "$tpath" "$word" && pending="$_tcss_kind" ;;
      *) _tcss_is_command "$tpath" "$word" && tpath="$tpath $word" ;;
    esac
  done
  if [[ -z $pending && $cur == --*=* ]] && _tcss_value_kind "$tpath" "\${cur%%=*}"; then
    pending="$_tcss_kind"
    compset -P '*='
  fi
  if [[ -n $pending ]]; then
    case "$pending" in
      words\\ *) candidates=(\${=pending#words }); compadd -a candidates ;;
      file) _files ;;
      profile)
        compset -P '*,'
        # One name a line, taken as plain words: never evaluated.
        candidates=(\${(f)"$(${PROFILE_LOOKUP})"})
        candidates=(\${(M)candidates:#[A-Za-z0-9_.-]##})
        compadd -a candidates
        ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    _tcss_described "$tpath" options
    _describe -t options option reply
  else
    _tcss_described "$tpath" words
    _describe -t commands command reply
  fi
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _tcss "$@"
else
  compdef _tcss tcss
fi
`;
}

function fishScript(root: CommandSpec, version: string): string {
  const commandCases = allCommands(root)
    .filter((c) => c !== root)
    .map((c) => {
      const parent = c.path.slice(0, c.path.lastIndexOf(' '));
      return `            case ${fishQuote(`${parent}|${c.path.split(' ').at(-1)}`)}\n                set tpath "$tpath $word"`;
    })
    .join('\n');
  const valueCases = valueOptions(root)
    .sort((a, b) => Number(a[0] === '*') - Number(b[0] === '*'))
    .map(([path, name]) => `${path === '*' ? '*' : path}|${name}`);
  // The program's options are offered at every level but those whose help does not list them.
  const noGlobals = allCommands(root).filter((c) => c !== root && !c.globalOptions).map((c) => `'${c.path}'`);
  const rootCondition = noGlobals.length > 0 ? ` -n ${fishQuote(`not contains -- (__tcss_path) ${noGlobals.join(' ')}`)}` : '';
  const lines: string[] = [];
  for (const c of allCommands(root)) {
    const at = `-n ${fishQuote(`__tcss_at '${c.path}'`)}`;
    for (const sub of c.commands) lines.push(`complete -c tcss ${at} -a ${word(sub.path.split(' ').at(-1) as string)} -d ${fishQuote(sub.description)}`);
    if (c.argumentValues.length > 0) lines.push(`complete -c tcss ${at} -a ${fishQuote(c.argumentValues.join(' '))}`);
    // The program's options (rootCondition) are offered at every other level already.
    const global = new Set(c === root || !c.globalOptions ? [] : root.options.flatMap((o) => o.names));
    for (const o of c.options.filter((option) => !option.names.every((n) => global.has(n)))) {
      const condition = c === root ? rootCondition : ` ${at}`;
      const names = o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
      let value = '';
      if (o.value?.kind === 'words') value = ` -x -a ${fishQuote(o.value.words.join(' '))}`;
      else if (o.value?.kind === 'profile') value = " -x -a '(__tcss_profiles)'";
      else if (o.value?.kind === 'file') value = ' -r -F';
      else if (o.value?.kind === 'any') value = ' -x';
      lines.push(`complete -c tcss${condition} ${names}${value} -d ${fishQuote(o.description)}`);
    }
  }
  return `# fish completion for tcss (generated by tcss ${version}: tcss completion fish)
#   one shell:  tcss completion fish | source
#   every one:  tcss completion fish > ~/.config/fish/completions/tcss.fish

# The command path (tcss, tcss image-scan, tcss image-scan set, …) of the words before the cursor.
function __tcss_path
    set -l tpath tcss
    set -l pending 0
    for word in (commandline -opc)[2..-1]
        if test $pending = 1
            set pending 0
            continue
        end
        switch "$tpath|$word"
${commandCases}
            case ${valueCases.map(fishQuote).join(' ')}
                set pending 1
        end
    end
    echo $tpath
end

function __tcss_at
    test (__tcss_path) = "$argv[1]"
end

# Profile names from the credential files, one a line, offered as plain words.
function __tcss_profiles
    ${PROFILE_LOOKUP} | string match -r '^[A-Za-z0-9_.-]+$'
end

complete -c tcss -f
${lines.join('\n')}
`;
}

/** The completion script for `shell`, generated from `program`. */
export function completionScript(shell: Shell, program: Command, version: string): string {
  const root = describeProgram(program);
  if (shell === 'bash') return bashScript(root, version);
  if (shell === 'zsh') return zshScript(root, version);
  return fishScript(root, version);
}
