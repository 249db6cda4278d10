// Bundles src/ into dist/ with esbuild (docs/performance.md):
//   dist/tcss.cjs           every command: our sources, commander, chalk and the parts of undici the transport
//                           uses, as one CommonJS script that bin/tcss.js compiles with V8's code cache;
//   dist/tcss.cjs.cache     that cache: V8's compiled code for the script, recorded by running the commands
//                           most scripts run (scripts/code-cache.cjs) with the Node that builds;
//   dist/tcss.cjs.map       its source map: `--debug` stack traces name the source files and lines (src/cli/stack.ts);
//   dist/vendor/*.cjs       the packages only some paths need (the wizard's prompts, cosmiconfig, js-yaml,
//                           two undici files), each bundled alone and required on first use;
//   dist/fast-paths.json    what `tcss --version` and `tcss --help` print, answered by bin/tcss.js alone.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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
 * are bundled alone into dist/vendor/ and required from there if ever needed. Bundled into the main script,
 * every request would parse them and what they pull in (~170 KB). Only these exact requires from client-h1.js
 * are touched, so no other undici code (e.g. the package root the proxy path loads) ends up split between two
 * copies. The package installs no dependencies: everything the built CLI loads is in dist/.
 */
const UNDICI_LAZY = new Map([
  ['../web/fetch/body.js', { source: 'undici/lib/web/fetch/body.js', file: 'undici-fetch-body' }],
  ['../llhttp/llhttp-wasm.js', { source: 'undici/lib/llhttp/llhttp-wasm.js', file: 'llhttp-wasm' }],
]);
const undiciLazyParts = {
  name: 'undici-lazy-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/(web\/fetch\/body|llhttp\/llhttp-wasm)\.js$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/.test(args.importer)
        ? { path: `../dist/vendor/${UNDICI_LAZY.get(args.path).file}.cjs`, external: true }
        : undefined,
    );
  },
};

/**
 * The two tables of llhttp's constants that undici's HTTP/1.1 client reads (ERROR, TYPE), as a literal: the
 * module computes all its tables at load, ~0.7 ms of every request's start for data that never changes.
 */
function llhttpConstants() {
  const { ERROR, TYPE } = createRequire(import.meta.url)('undici/lib/llhttp/constants.js');
  const literal = JSON.stringify({ ERROR, TYPE });
  if (!isDeepStrictEqual(JSON.parse(literal), { ERROR, TYPE })) throw new Error('undici-edits: llhttp constants are not plain data; update scripts/build.js');
  return literal;
}

/**
 * Added to client-h1.js: V8 compiles a WebAssembly function the first time it is called, and llhttp's parser
 * takes ~2.5 ms to compile, which undici would pay on the main thread when the first answer arrives. Scheduled
 * on the first connection, after undici has written the request in the same callback, this parses a made-up
 * answer with a parser of its own while the request is on its way, so that the compiling is done by the time
 * the real answer comes. It goes through the same shared buffer and callbacks as Parser#execute, with a
 * stand-in whose callbacks do nothing; between two executes no parser is current, so nothing else is touched.
 */
const WARM_UP_PARSER = `function warmUpParser () {
  if (currentParser !== null || llhttpInstance === null) return
  const llhttp = llhttpInstance.exports
  const chunk = Buffer.from('HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\nConnection: keep-alive\\r\\n\\r\\n{}', 'latin1')
  const ptr = llhttp.llhttp_alloc(constants.TYPE.RESPONSE)
  if (chunk.length > currentBufferSize) {
    if (currentBufferPtr) llhttp.free(currentBufferPtr)
    currentBufferSize = Math.ceil(chunk.length / 4096) * 4096
    currentBufferPtr = llhttp.malloc(currentBufferSize)
  }
  new Uint8Array(llhttp.memory.buffer, currentBufferPtr, currentBufferSize).set(chunk)
  const ignore = () => 0
  try {
    currentBufferRef = chunk
    // The last callback is a function of its own: test/e2e/startup-modules.test.ts sees it run, so the made-up
    // answer was parsed to its end.
    currentParser = { ptr, onMessageBegin: ignore, onStatus: ignore, onHeaderField: ignore, onHeaderValue: ignore, onHeadersComplete: ignore, onBody: ignore, onMessageComplete: () => 0 }
    llhttp.llhttp_execute(ptr, currentBufferPtr, chunk.length)
  } catch {
    // Only ever a head start: whatever happens here, the real answer is parsed as usual.
  } finally {
    currentParser = null
    currentBufferRef = null
    llhttp.llhttp_free(ptr)
  }
}
`;

/**
 * Exact edits to three undici files, each of which must match once (else the build stops: undici changed, and
 * the edit must be looked at again):
 * - client-h1.js takes llhttp's constants as a literal (llhttpConstants); it compiles its WebAssembly HTTP
 *   parser on the first connection through withBaselineWasm, V8's baseline compiler only
 *   (src/core/http/process-state.ts says why), and then runs it once on a made-up answer (WARM_UP_PARSER).
 * - client.js and core/util.js load node:http at start-up, for its default header-size limit (the transport
 *   gives its own) and to recognise its IncomingMessage streams (which exist only once node:http is loaded):
 *   both now load it only when used, so no request pays for loading Node's whole HTTP stack.
 * - core/util.js builds a trie of ~100 well-known header names as it loads (~0.6 ms), to turn a header name
 *   from the wire into its lower-case string; lower-casing the name gives the same string for the few headers
 *   of an API answer, so the trie is neither built nor bundled.
 */
const UNDICI_EDITS = {
  'dispatcher/client-h1.js': [
    ["const constants = require('../llhttp/constants.js')", `const constants = ${llhttpConstants()}`],
    [
      'llhttpInstance = lazyllhttp()',
      `llhttpInstance = require(${JSON.stringify(fileURLToPath(new URL('../src/core/http/process-state.ts', import.meta.url)))}).withBaselineWasm(lazyllhttp)
    setImmediate(warmUpParser)`,
    ],
    ['module.exports = connectH1', `${WARM_UP_PARSER}\nmodule.exports = connectH1`],
  ],
  'dispatcher/client.js': [
    ["const http = require('node:http')\n", ''],
    [
      `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`,
      `const getDefaultNodeMaxHeaderSize = () => {
  const http = require('node:http')
  if (Number.isInteger(http.maxHeaderSize) && http.maxHeaderSize > 0) return http.maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`,
    ],
  ],
  'core/util.js': [
    ["const { tree } = require('./tree')\n", ''],
    ["    : tree.lookup(value) ?? value.toString('latin1').toLowerCase()", "    : value.toString('latin1').toLowerCase()"],
    ["  return tree.lookup(value) ?? value.toString('latin1').toLowerCase()", "  return value.toString('latin1').toLowerCase()"],
    ["const { IncomingMessage } = require('node:http')\n", ''],
    [
      'if (Object.getPrototypeOf(stream).constructor === IncomingMessage) {',
      "if (Object.getPrototypeOf(stream).constructor?.name === 'IncomingMessage' && Object.getPrototypeOf(stream).constructor === require('node:http').IncomingMessage) {",
    ],
  ],
};
const undiciEdits = {
  name: 'undici-edits',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/](dispatcher[\\/]client-h1|dispatcher[\\/]client|core[\\/]util)\.js$/ }, async (args) => {
      const key = args.path.replace(/\\/g, '/').replace(/^.*\/undici\/lib\//, '');
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of UNDICI_EDITS[key]) {
        if (source.split(from).length !== 2) throw new Error(`undici-edits: ${JSON.stringify(from.split('\n')[0])} not found once in ${args.path}; update scripts/build.js`);
        source = source.replace(from, () => to);
      }
      return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** undici's `require('node:assert')` → scripts/undici-assert.cjs, which says why; only for files that call assert(). */
const undiciAssert = {
  name: 'undici-assert',
  setup(b) {
    b.onResolve({ filter: /^(node:)?assert$/ }, async (args) => {
      if (!/[\\/]node_modules[\\/]undici[\\/]/.test(args.importer)) return undefined;
      const source = await readFile(args.importer, 'utf8');
      if (/\bassert\.[A-Za-z]/.test(source)) throw new Error(`undici-assert: ${args.importer} uses more of node:assert than assert(); update scripts/undici-assert.cjs`);
      return { path: fileURLToPath(new URL('./undici-assert.cjs', import.meta.url)) };
    });
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

/**
 * Packages on paths that not every command takes are required from their own bundle in dist/vendor/, so the
 * main script does not carry (and V8 does not load) them. The specifier is relative to bin/, whose require
 * the main script is given (bin/tcss.js); from dist/ (`node dist/tcss.cjs`) it names the same files.
 */
const VENDOR = {
  '@inquirer/prompts': 'prompts',
  cosmiconfig: 'cosmiconfig',
  'js-yaml': 'js-yaml',
};
/** Resolves the VENDOR packages to their bundles, as seen from `from` (a folder, relative to dist/vendor/). */
const vendorPackages = (from, only = Object.keys(VENDOR)) => ({
  name: 'vendor-packages',
  setup(b) {
    // cosmiconfig's Explorer (the loader without the meta-config search of its factory) comes from its bundle.
    b.onResolve({ filter: /^(@inquirer\/prompts|cosmiconfig|js-yaml)$|^cosmiconfig\/dist\/Explorer\.js$/ }, (args) => {
      const name = args.path.replace(/\/dist\/Explorer\.js$/, '');
      return only.includes(name) ? { path: `${from}${VENDOR[name]}.cjs`, external: true } : undefined;
    });
  },
});

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  sourcemap: false,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
};

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const dist = new URL('../dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(new URL('vendor/', dist), { recursive: true });

/** Bundles one module alone into dist/vendor/<file>.cjs. */
const vendorBundle = (specifier, file, options = {}) =>
  build({
    ...common,
    stdin: {
      contents:
        specifier === 'cosmiconfig'
          ? "module.exports = { ...require('cosmiconfig'), Explorer: require('cosmiconfig/dist/Explorer.js').Explorer };"
          : `module.exports = require(${JSON.stringify(specifier)});`,
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'js',
    },
    outfile: fileURLToPath(new URL(`vendor/${file}.cjs`, dist)),
    ...options,
  });

for (const [name, file] of Object.entries(VENDOR)) {
  await vendorBundle(name, file, {
    // cosmiconfig loads TypeScript config files through the typescript package (left as a package: the user's
    // own, if any) and YAML ones through js-yaml (our bundle, next to it), each only when such a file is read.
    external: ['typescript'],
    plugins: [processGlobal, vendorPackages('./', ['js-yaml'].filter((p) => p !== name))],
  });
}
for (const { source, file } of UNDICI_LAZY.values()) await vendorBundle(source, file);

const result = await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  write: false,
  outfile: fileURLToPath(new URL('tcss.cjs', dist)),
  define: { __TCSS_VERSION__: JSON.stringify(pkg.version) },
  // `import()` becomes require() on first use: the script runs through vm.Script, which has no ES-module
  // loader. Not for the vendor bundles, which Node requires as usual: cosmiconfig loads ES-module and
  // TypeScript config files with a real import().
  supported: { 'dynamic-import': false },
  // Which sources the script holds; test/e2e/startup-modules.test.ts reads it (not shipped).
  metafile: true,
  // Short local names and no layout: V8 then reads, copies and deserialises less at every start (0.42 MB of
  // script instead of 0.76, about 3 ms less per command on Node 20: docs/performance.md). Names and lines come
  // back through the source map, for `--debug` stack traces only; the sources themselves are not in it.
  minifyWhitespace: true,
  minifyIdentifiers: true,
  sourcemap: 'external',
  sourcesContent: false,
  plugins: [vendorPackages('../dist/vendor/'), undiciH1Only, undiciLazyParts, undiciEdits, undiciAssert, processGlobal, commanderLazyChildProcess],
});
// The first line names this build; the code cache starts with the same name, so a cache left from another
// build is never used (V8 itself checks only the script's length). The rest is one function expression,
// `(function (require, module) { … })`, that bin/tcss.js compiles as it is and calls: no wrapper added at run
// time, so V8 is given the file's own text (joining a wrapper to ~0.8 MB of text costs a copy of it), and
// stack traces point at the file's own lines.
const code = result.outputFiles.find((file) => file.path.endsWith('.cjs')).text;
const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map')).text);
// bin/tcss.js reads the script as Latin-1, a plain copy of its bytes: every character must be ASCII (esbuild
// writes any other as an escape, charset 'ascii').
if (/[^\x00-\x7f]/.test(code)) throw new Error('build: dist/tcss.cjs holds a character that is not ASCII');
const buildId = createHash('sha256').update(code).digest('hex');
await writeFile(new URL('tcss.cjs', dist), `// tcss build ${buildId}\n(function (require, module) {\n${code}})\n`);
// The map names the build it belongs to, and skips the two lines written above the code (a `;` each).
await writeFile(new URL('tcss.cjs.map', dist), `${JSON.stringify({ ...map, file: 'tcss.cjs', x_tcss_build: buildId, mappings: `;;${map.mappings}` })}\n`);
const metaDir = new URL('../node_modules/.cache/tcss/', import.meta.url);
await mkdir(metaDir, { recursive: true });
await writeFile(new URL('metafile.json', metaDir), JSON.stringify(result.metafile));

// What bin/tcss.js prints for exactly `--version` and `--help` (into a pipe: 80 columns, no colour), taken
// from the parser itself so the shortcut cannot drift from it (test/e2e/startup-paths.test.ts compares).
const bin = fileURLToPath(new URL('../bin/tcss.js', import.meta.url));
const help = execFileSync(process.execPath, [bin, '--no-color', '--help'], {
  env: { PATH: process.env.PATH, NO_COLOR: '1' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
await writeFile(new URL('fast-paths.json', dist), `${JSON.stringify({ version: pkg.version, help })}\n`);

// V8's code cache for dist/tcss.cjs, recorded last, from the finished dist/.
execFileSync(process.execPath, [fileURLToPath(new URL('./code-cache.cjs', import.meta.url))], {
  env: { PATH: process.env.PATH, ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
