/**
 * The commander program: declares commands and options only. Each command's code is imported when that
 * command runs, so `--help` and `--version` load nothing else.
 */
import { Command, Option } from 'commander';
import type { RawGlobalFlags, RunEnvironment } from './context.js';

/** Collects a repeatable option's values in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export interface ProgramHooks {
  /** Receives the exit code of the command that ran. */
  setExitCode: (code: number) => void;
}

/** An "Examples:" block: each `$ command`, the comments of those that have one starting in one column. */
function examples(lines: ReadonlyArray<readonly [string, string?]>): string {
  const width = Math.max(...lines.filter(([, note]) => note !== undefined).map(([cmd]) => cmd.length));
  const body = lines.map(([cmd, note]) => `  $ ${note === undefined ? cmd : `${cmd.padEnd(width)}   (${note})`}`);
  return `\nExamples:\n${body.join('\n')}\n`;
}

const SET_EXAMPLES = `${examples([
  ['tcss image-scan set --enable --scan-time 01:00'],
  ['tcss image-scan set --scan-period 7 --no-scan-risk', 'changes these two, keeps the rest'],
  ['tcss image-scan set --scan-end-time none --exclude-images none', 'clears them'],
  ['tcss image-scan set --enable --scan-time 02:30 --scan-scope selected --images sha256:525b6e9f,sha256:77af4d6b'],
  ['tcss image-scan set --replace --enable --scan-time 01:00', 'no read: the rest at defaults'],
  ['tcss image-scan set --disable --dry-run'],
  ['tcss image-scan set -i', 'guided, in a terminal'],
])}
Times are UTC, HH:MM. Settings not given come from the config file, then the account's current
settings (read first), else the defaults (--scan-period 1, all three scanners on, scope all, no
lists, no end time); every write states them all. --replace skips the read. "none" clears
--scan-end-time, --images, --exclude-images and --cluster-ids.`;

const APPLY_EXAMPLES = `${examples([
  ['tcss image-scan apply -f scan-policy.yaml'],
  ['tcss image-scan apply -f scan-policy.yaml --yes --profiles prod,staging'],
  ['tcss image-scan apply -f scan-policy.json --all-profiles --check', 'CI: exit 5 on drift'],
  ['tcss image-scan apply -f scan-policy.yaml --dry-run --output json'],
])}
Only the keys in the file are enforced; the others keep their current values. A second apply of
the same file sends no write. Exit codes: 0 applied or nothing to change, 5 drift (--check),
else the worst failure: 130 > 1 > 4 > 3 > 2.`;

const DIFF_EXAMPLES = `${examples([['tcss image-scan diff -f scan-policy.yaml'], ['tcss image-scan diff -f scan-policy.yaml --all-profiles --output json']])}
Changes nothing. Exit 0 when every account matches the file, 5 when one differs.`;

const EMULATOR_HELP = `
Examples:
  $ tcss emulator --port 0
  $ tcss emulator --port 9000 --secret-id AKIDlocal --secret-key localkey --state ./tcss-state.json

Without keys it makes a throwaway pair and prints it. It never reads TENCENTCLOUD_* variables.
It accepts what the official clients send: TC3-HMAC-SHA256 (POST JSON or GET query, Host signed
with or without the port, UNSIGNED-PAYLOAD) and Signature v1 (HmacSHA1/HmacSHA256, GET or POST form);
X-TC-Language zh-CN gets Chinese messages.
Node SDK (tencentcloud-sdk-nodejs): it takes the signing service from the endpoint's first label, so
an endpoint of 127.0.0.1:PORT signs for "127" and is refused. Use a host name that begins with "tcss."
and resolves to 127.0.0.1, e.g. endpoint "tcss.localhost.test:PORT" with an http.Agent whose lookup
answers 127.0.0.1 (the agent option of httpProfile).
It plays STS too (point TCSS_STS_ENDPOINT at it): AssumeRole signed by a known key (accounts get UINs
100000000001, 100000000002, … in order), AssumeRoleWithWebIdentity for --oidc-provider with
--oidc-token, GetCallerIdentity; keys it issues act in the role's account until they expire.
TCSS_METADATA_ENDPOINT pointed at it stands in for the CVM metadata service (--cvm-role ARN).
For tests: POST /_emulator/faults injects faults (e.g. {"kind":"status","status":503});
GET /_emulator/requests lists what it received (the last 1000). Only requests to 127.0.0.1:PORT or
localhost:PORT without a foreign Origin reach these.
`;

export function buildProgram(run: RunEnvironment, hooks: ProgramHooks): Command {
  const { terminal } = run;
  const program = new Command('tcss');
  program
    .description('Set, read and keep in line Tencent Cloud Container Security (TCSS) image-scan settings.')
    .version(__TCSS_VERSION__, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--profile <name>', 'credential profile (~/.tccli/<name>.credential, ~/.tencentcloud/credentials)')
    .option('--region <region>', 'region, e.g. ap-guangzhou (X-TC-Region is sent only when set)')
    .option('--endpoint <host|url>', 'API host or URL (default tcss.intl.tencentcloudapi.com over HTTPS)')
    .option('--output <format>', 'text or json')
    .option('--timeout <seconds>', 'bound on connect, headers and body of each request (default 30)')
    .option('--retries <n>', 'retries after the first attempt on transient failures (default 2)')
    .option('--proxy <url>', 'HTTP(S) proxy URL (default from HTTPS_PROXY / HTTP_PROXY)')
    .option('--language <lang>', 'language of API messages: zh-CN or en-US')
    .option('--role-arn <arn>', 'assume this CAM role (STS AssumeRole) with the credentials found, or with --oidc-provider-id')
    .option('--role-session-name <name>', 'session name for the role (default tcss-<unix time>)')
    .option('--role-duration <seconds>', 'life of the role\'s temporary keys, up to 43200 (default 3600)')
    .option('--use-cvm-role', 'use the CAM role bound to this CVM instance (asks its metadata service)')
    .option('--oidc-provider-id <id>', 'exchange an OIDC token for --role-arn (GitHub Actions, or --web-identity-token-file)')
    .option('--oidc-audience <aud>', 'audience of the GitHub Actions token (default sts.tencentcloudapi.com)')
    .option('--web-identity-token-file <file>', 'file holding the OIDC token (GitLab CI and others)')
    .option('--config <file>', 'use this config file instead of searching for one')
    .option('--no-config', 'use no config file at all')
    .option('--dry-run', 'print the request that would be sent (signature redacted); send nothing')
    .option('--debug', 'print where each value came from, the canonical request and timings to stderr')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => terminal.out.write(s),
      writeErr: (s) => terminal.err.write(s),
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      `${examples([
        ['tcss image-scan set --enable --scan-time 01:00'],
        ['tcss image-scan get --output json'],
        ['tcss image-scan diff -f policy.yaml --all-profiles', 'exit 5 on drift'],
        ['tcss emulator --port 0', 'a local TCSS endpoint for trying things out'],
      ])}
Credentials come from TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY, or a tccli or SDK profile file;
roles: --role-arn, --use-cvm-role, --oidc-provider-id, TKE_* variables ("tcss whoami" shows who you are).
Exit codes: 0 ok, 1 internal error, 2 usage/config/credentials (nothing sent), 3 API error,
4 no valid answer (network, timeout, TLS), 5 drift found, 130 interrupted, 143 terminated (SIGTERM).`,
    );

  const globals = (cmd: Command): RawGlobalFlags => cmd.optsWithGlobals<RawGlobalFlags>();
  const withContext = async (cmd: Command) => {
    const { createContext } = await import('./context.js');
    return createContext(globals(cmd), run);
  };

  const imageScan = program
    .command('image-scan')
    .description('image-scan settings (CreateAssetImageScanSetting / DescribeAssetImageScanSetting)');

  imageScan
    .command('set')
    .description('set the scheduled image-scan settings')
    .option('--enable', 'turn scheduled image scans on')
    .addOption(new Option('--disable', 'turn scheduled image scans off').conflicts('enable'))
    .option('--scan-time <HH:MM>', 'start time, UTC (required)')
    .option('--scan-end-time <HH:MM>', 'end time, UTC; none for no end time')
    .option('--scan-period <days>', 'scan cycle, a positive whole number (default 1)')
    .option('--scan-virus', 'scan for trojans (default)')
    .option('--no-scan-virus', 'do not scan for trojans')
    .option('--scan-risk', 'scan for sensitive information (default)')
    .option('--no-scan-risk', 'do not scan for sensitive information')
    .option('--scan-vul', 'scan for vulnerabilities (default)')
    .option('--no-scan-vul', 'do not scan for vulnerabilities')
    .option('--container-running', 'only images that have running containers')
    .option('--no-container-running', 'images with or without running containers')
    .option('--scan-scope <scope>', 'all (0), selected (1), recommended (2) or cluster (3)')
    .option('--images <ref>', 'image to scan (repeatable, or comma-separated; none clears); for --scan-scope selected', collect)
    .option('--exclude-images <ref>', 'image to leave out (repeatable, or comma-separated; none clears)', collect)
    .option('--cluster-ids <id>', 'cluster ID (repeatable, or comma-separated; none clears); for --scan-scope cluster', collect)
    .option('--replace', 'write only the flags, the config file and the defaults, without reading the current settings')
    .option('-i, --interactive', 'ask for the settings in a guided wizard')
    .addHelpText('after', SET_EXAMPLES)
    .action(async (flags, cmd: Command) => {
      const ctx = await withContext(cmd);
      const { imageScanSet } = await import('./commands/image-scan-set.js');
      hooks.setExitCode(await imageScanSet(ctx, flags));
    });

  imageScan
    .command('get')
    .description('show the current image-scan settings, with the last scan time and result')
    .addHelpText('after', '\nExamples:\n  $ tcss image-scan get\n  $ tcss image-scan get --output json --profile prod\n')
    .action(async (_flags, cmd: Command) => {
      const ctx = await withContext(cmd);
      const { imageScanGet } = await import('./commands/image-scan-get.js');
      hooks.setExitCode(await imageScanGet(ctx));
    });

  const policyCommand = (name: 'apply' | 'diff') => {
    const cmd = imageScan
      .command(name)
      .description(
        name === 'apply'
          ? 'make accounts match a policy file: show the diff, then write only what differs'
          : 'show how accounts differ from a policy file; exit 5 on drift (same as apply --check)',
      )
      .requiredOption('-f, --file <file>', 'policy file, JSON or YAML (schema/tcss-policy.schema.json); - reads standard input');
    if (name === 'apply') {
      cmd
        .option('--check', 'change nothing; exit 5 when an account differs from the file, 0 when all match')
        .option('-y, --yes', 'do not ask for confirmation in a terminal');
    }
    cmd
      .option('--profiles <names>', 'these profiles, each a separate account (comma-separated or repeatable)', collect)
      .option('--all-profiles', 'every profile in ~/.tccli and ~/.tencentcloud/credentials')
      .option('--concurrency <n>', 'accounts worked on at once, 1-16 (default 4)')
      .addHelpText('after', name === 'apply' ? APPLY_EXAMPLES : DIFF_EXAMPLES)
      .action(async (flags, c: Command) => {
        const ctx = await withContext(c);
        const { imageScanApply } = await import('./commands/image-scan-apply.js');
        hooks.setExitCode(await imageScanApply(ctx, flags, name));
      });
  };
  policyCommand('apply');
  policyCommand('diff');

  program
    .command('whoami')
    .description('show the account (UIN), ARN and type of the credentials in use, where they came from and when they expire')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tcss whoami\n  $ tcss whoami --role-arn qcs::cam::uin/100000000001:roleName/tcss-ci --output json\n\nCalls STS GetCallerIdentity; nothing is changed.\n',
    )
    .action(async (_flags, cmd: Command) => {
      const ctx = await withContext(cmd);
      const { whoami } = await import('./commands/whoami.js');
      hooks.setExitCode(await whoami(ctx));
    });

  const emulator = program
    .command('emulator')
    .description('run a local TCSS endpoint on 127.0.0.1 that verifies and answers like the real API')
    .option('--port <n>', 'port to listen on; 0 picks a free one (default 0)')
    .option('--secret-id <id>', 'accept this SecretId (repeatable; pairs with --secret-key; or TCSS_EMULATOR_SECRET_ID)', collect)
    .option('--secret-key <key>', 'its SecretKey (throwaway keys only; or TCSS_EMULATOR_SECRET_KEY)', collect)
    .option('--state <file>', 'keep the settings in this file, so they survive a restart (needs --secret-id/--secret-key)')
    .option('--role <arn>', 'STS: only these roles may be assumed (repeatable; default any role ARN)', collect)
    .option('--oidc-provider <id>', 'STS: accept AssumeRoleWithWebIdentity for this identity provider (repeatable)', collect)
    .option('--oidc-token <jwt>', 'STS: accept this identity token (repeatable; or TCSS_EMULATOR_OIDC_TOKENS, comma-separated)', collect)
    .option('--cvm-role <arn>', 'metadata stand-in: the role bound to the emulated CVM instance (default none)')
    .addHelpText('after', EMULATOR_HELP)
    .action(async (flags) => {
      // The global options (--dry-run, --output, --profile…) mean nothing here: refused, not ignored.
      const globalFlags = program.options
        .filter((o) => program.getOptionValueSource(o.attributeName()) === 'cli')
        .map((o) => o.long ?? o.short ?? o.name());
      const { runEmulatorCommand } = await import('../emulator/command.js');
      await runEmulatorCommand({ ...flags, globalFlags }, { stdout: terminal.out, stderr: terminal.err, env: run.env }, run.signal);
      hooks.setExitCode(0);
    });
  // Its help lists only the options that apply to it.
  emulator.configureHelp({ showGlobalOptions: false });

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .argument('[shell]', 'bash, zsh or fish')
    .addOption(new Option('--profiles', 'print the profile names of the credential files, one a line (the scripts run it)').hideHelp())
    .addHelpText(
      'after',
      '\nExamples:\n  $ source <(tcss completion bash)                 (in ~/.bashrc)\n  $ source <(tcss completion zsh)                  (in ~/.zshrc, after compinit)\n  $ tcss completion fish > ~/.config/fish/completions/tcss.fish\n\nProfile names for --profile are read from the credential files when you press Tab.\n',
    )
    .action(async (shell: string | undefined, flags: { profiles?: boolean }) => {
      const { completionCommand } = await import('./commands/completion.js');
      hooks.setExitCode(await completionCommand(run, program, shell, flags));
    });

  return program;
}
