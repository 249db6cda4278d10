/**
 * Links that cannot rot: every relative link in README.md and docs/*.md names a file of the repository and, with
 * a `#anchor`, a heading of that page (GitHub's slugs); every `docs/<page>.md#anchor` a source comment cites
 * exists; and docs/api.md keeps the section headings the code cites.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens kept), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown page, outside code blocks, with GitHub's `-1`, `-2` for repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Markdown links outside code blocks and inline code: `[text](target)`. */
function linksOf(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) links.push(m[1] as string);
  }
  return links;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.(ts|js|cjs|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

let pages: string[] = [];
const text = new Map<string, string>();

beforeAll(async () => {
  pages = ['README.md', ...(await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const page of pages) text.set(page, await readFile(join(ROOT, page), 'utf8'));
});

describe('documentation links', () => {
  it('computes anchors as GitHub does', () => {
    expect(slug('Signing (TC3-HMAC-SHA256)')).toBe('signing-tc3-hmac-sha256');
    expect(slug('`tcss image-scan apply` and `tcss image-scan diff`')).toBe('tcss-image-scan-apply-and-tcss-image-scan-diff');
    expect(slug('Transient faults, timeouts and proxies')).toBe('transient-faults-timeouts-and-proxies');
    expect([...anchorsOf('# A\n## B\n```\n# not a heading\n```\n## B\n')]).toEqual(['a', 'b', 'b-1']);
  });

  it('every relative link of README.md and docs/ resolves, anchors included', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of linksOf(text.get(page) ?? '')) {
        if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
        const [file, anchor] = link.split('#') as [string, string | undefined];
        const target = file === '' ? page : relative(ROOT, join(ROOT, dirname(page), file));
        if (!existsSync(join(ROOT, target))) {
          broken.push(`${page}: ${link} (no file ${target})`);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md')) {
          const markdown = text.get(target);
          if (markdown !== undefined && !anchorsOf(markdown).has(anchor)) broken.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('docs/api.md has the sections the code cites', () => {
    const anchors = anchorsOf(text.get('docs/api.md') ?? '');
    for (const anchor of [
      'actions-and-fields',
      'endpoints-and-region',
      'signing-tc3-hmac-sha256',
      'official-test-vectors',
      'request-forms-the-service-accepts',
      'responses-and-errors',
      'retries',
      'credential-and-config-conventions',
    ]) expect(anchors, `docs/api.md#${anchor}`).toContain(anchor);
  });

  it('every docs/ page and anchor a source file cites exists', async () => {
    const broken: string[] = [];
    for (const dir of ['src', 'bin', 'scripts', 'bench']) {
      for (const file of await sourceFiles(join(ROOT, dir))) {
        const source = await readFile(file, 'utf8');
        for (const m of source.matchAll(/docs\/([a-z-]+\.md)(?:#([a-z0-9-]+))?/g)) {
          const page = `docs/${m[1] as string}`;
          const markdown = text.get(page);
          if (markdown === undefined) broken.push(`${relative(ROOT, file)}: ${m[0]} (no such page)`);
          else if (m[2] !== undefined && !anchorsOf(markdown).has(m[2])) broken.push(`${relative(ROOT, file)}: ${m[0]} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
