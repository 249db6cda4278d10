// Bundles src/ into dist/ with esbuild. Code splitting keeps lazily imported paths (the wizard, YAML, the
// emulator) in their own chunks, so commands that do not need them never parse them.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
await build({
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
  logLevel: 'warning',
});
