// Bundles src/ into dist/ with esbuild. Code splitting keeps lazily imported paths (the wizard, YAML, the
// emulator) in their own chunks, so commands that do not need them never parse them.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Bundles an HTTP/1.1-only undici: see scripts/undici-h1-only.cjs. */
const undiciH1Only = {
  name: 'undici-h1-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/.test(args.importer)
        ? { path: fileURLToPath(new URL('./undici-h1-only.cjs', import.meta.url)) }
        : undefined,
    );
  },
};

/**
 * Two files that undici's HTTP/1.1 client requires only inside functions tcss never reaches (the fetch body
 * helpers, for bodies that are not strings; the non-SIMD llhttp build, for machines without WebAssembly SIMD)
 * stay in node_modules and are required from there if ever needed. Bundled, every request would parse them
 * and what they pull in (~170 KB). Only these exact requires from client-h1.js are touched, so no other undici
 * code (e.g. the package root the proxy path loads) ends up split between two copies.
 */
const undiciLazyParts = {
  name: 'undici-lazy-parts',
  setup(b) {
    const lazy = new Map([
      ['../web/fetch/body.js', 'undici/lib/web/fetch/body.js'],
      ['../llhttp/llhttp-wasm.js', 'undici/lib/llhttp/llhttp-wasm.js'],
    ]);
    b.onResolve({ filter: /^\.\.\/(web\/fetch\/body|llhttp\/llhttp-wasm)\.js$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/.test(args.importer)
        ? { path: lazy.get(args.path), external: true }
        : undefined,
    );
  },
};

/** `import process from 'node:process'` (chalk does it) → the global object: see scripts/process-global.js. */
const processGlobal = {
  name: 'process-global',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, (args) =>
      args.kind === 'import-statement' ? { path: fileURLToPath(new URL('./process-global.js', import.meta.url)) } : undefined,
    );
  },
};

/**
 * commander requires node:child_process at load time, for git-style executable subcommands that tcss does
 * not have; loading it (with net and dgram) costs every start-up. The require is deferred to first use.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`commander-lazy-child-process: "${eager}" not found in ${args.path}; update scripts/build.js`);
      const lazy = "const childProcess = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require() for Node built-ins; give ESM chunks a real one.
  banner: { js: "import { createRequire as __tcssCreateRequire } from 'node:module'; const require = __tcssCreateRequire(import.meta.url);" },
  define: { __TCSS_VERSION__: JSON.stringify(pkg.version) },
  // cosmiconfig loads TypeScript config files through the typescript package, only when such a file exists,
  // and YAML ones through js-yaml: left as packages, each is required only when such a file is read instead
  // of riding in the config chunk that every command loads.
  external: ['typescript', 'js-yaml'],
  // Which sources each output file holds; test/e2e/startup-modules.test.ts reads it (not shipped).
  metafile: true,
  plugins: [undiciH1Only, undiciLazyParts, processGlobal, commanderLazyChildProcess],
  logLevel: 'warning',
});
const metaDir = new URL('../node_modules/.cache/tcss/', import.meta.url);
await mkdir(metaDir, { recursive: true });
await writeFile(new URL('metafile.json', metaDir), JSON.stringify(result.metafile));

// What bin/tcss.js prints for exactly `--version` and `--help` (into a pipe: 80 columns, no colour), taken
// from the parser itself so the shortcut cannot drift from it (test/e2e/startup-paths.test.ts compares).
const help = execFileSync(process.execPath, [fileURLToPath(new URL('../dist/cli.js', import.meta.url)), '--no-color', '--help'], {
  env: { PATH: process.env.PATH, NO_COLOR: '1' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
await writeFile(new URL('../dist/fast-paths.json', import.meta.url), `${JSON.stringify({ version: pkg.version, help })}\n`);
