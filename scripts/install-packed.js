// Packs the package as `npm publish` would (`npm pack`) and installs the tarball the way a user does
// (`npm install --global`), into a throwaway prefix, with an empty npm cache and --offline: whatever the
// installed `tcss` needs must be in the tarball itself. Prints a JSON summary on stdout: the installed
// command's path, the tarball's size and file count, the install's time, size and package count.
//
//   node scripts/install-packed.js --dest DIR [--tarball FILE] [--ignore-scripts]
//
// --dest DIR        where the tarball, the empty cache and the prefix go (created; must not exist yet)
// --tarball FILE    install this tarball instead of packing one
// --ignore-scripts  pack without running `prepack` (the build): packs the dist/ already built
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { dest: { type: 'string' }, tarball: { type: 'string' }, 'ignore-scripts': { type: 'boolean' } } });
if (!values.dest) {
  console.error('usage: node scripts/install-packed.js --dest DIR [--tarball FILE] [--ignore-scripts]');
  process.exit(2);
}
const dest = resolve(values.dest);
if (existsSync(dest)) {
  console.error(`install-packed: ${dest} already exists`);
  process.exit(2);
}
const cache = join(dest, 'npm-cache');
const prefix = join(dest, 'prefix');
const userconfig = join(dest, 'npmrc');
for (const dir of [cache, prefix]) mkdirSync(dir, { recursive: true });
// No user or project npm settings: only what is given here.
writeFileSync(userconfig, '');
const npmEnv = { ...process.env, npm_config_userconfig: userconfig, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

let tarball = values.tarball ? resolve(values.tarball) : undefined;
let packed;
if (!tarball) {
  const args = ['pack', '--json', '--pack-destination', dest, ...(values['ignore-scripts'] ? ['--ignore-scripts'] : [])];
  const out = execFileSync('npm', args, { cwd: ROOT, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // `prepack` (the build) prints to the same stdout before npm's JSON: it starts at the last line that is "[".
  const json = out.slice(out.lastIndexOf('\n[\n') + 1);
  packed = JSON.parse(json)[0];
  tarball = join(dest, packed.filename);
}

const started = process.hrtime.bigint();
execFileSync('npm', ['install', '--global', '--prefix', prefix, '--cache', cache, '--offline', '--no-audit', '--no-fund', tarball], {
  env: npmEnv,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const installMs = Number(process.hrtime.bigint() - started) / 1e6;

/** Bytes of the files under a folder (apparent sizes) and the packages in it (folders under node_modules). */
function measure(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (path, inNodeModules) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (inNodeModules && !entry.name.startsWith('.')) {
          if (entry.name.startsWith('@')) {
            for (const scoped of readdirSync(full, { withFileTypes: true })) if (scoped.isDirectory()) packages += 1;
          } else packages += 1;
        }
        walk(full, entry.name === 'node_modules' || (inNodeModules && entry.name.startsWith('@')));
      } else if (entry.isFile()) bytes += statSync(full).size;
    }
  };
  walk(dir, false);
  return { bytes, packages };
}

const installed = measure(join(prefix, 'lib'));
console.log(
  JSON.stringify(
    {
      bin: join(prefix, 'bin', 'tcss'),
      packageDir: join(prefix, 'lib', 'node_modules', 'tcss-cli'),
      tarball,
      tarballBytes: statSync(tarball).size,
      tarballFiles: packed?.entryCount,
      unpackedBytes: packed?.unpackedSize,
      installMs: Math.round(installMs),
      installedBytes: installed.bytes,
      installedPackages: installed.packages,
    },
    null,
    2,
  ),
);
