/**
 * A credential source: one provider's answer for this run, described without its secrets. Static keys resolve at
 * once; the role sources call STS (or the metadata service) once per identity per run and again shortly before
 * the keys expire.
 */
import type { CredentialDeps, Credentials } from './types.js';

export interface CredentialSource {
  /** Which provider, in words, for `--debug`, the chain table and messages (never a secret). */
  describe: string;
  /** The provider's name in the chain table (docs/credentials.md). */
  provider: 'env' | 'tccli' | 'sdk-file' | 'sts-role' | 'cvm-role' | 'web-identity';
  resolve(deps: CredentialDeps): Promise<Credentials>;
}

/** A source for keys already in hand. */
export function staticSource(provider: CredentialSource['provider'], creds: Credentials): CredentialSource {
  return { describe: creds.source, provider, resolve: async () => creds };
}

/**
 * How long before expiry temporary keys are replaced: a tenth of their life, at least 30 s and at most 5 min, so a
 * request signed with them never reaches the service after they stop working.
 */
export function refreshMarginMs(lifeMs: number): number {
  return Math.min(300_000, Math.max(30_000, lifeMs / 10));
}

interface Entry {
  pending: Promise<Credentials>;
  /** Unix ms after which the entry is fetched again. */
  refreshAt?: number;
}

/** One fetch per identity per run, shared by concurrent callers; fetched again once the keys near expiry. */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();

  /** How many identities were fetched (tests). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string, now: () => number, fetch: () => Promise<Credentials>): Promise<Credentials> {
    const hit = this.#entries.get(key);
    if (hit && (hit.refreshAt === undefined || now() < hit.refreshAt)) return hit.pending;
    const startedAt = now();
    const entry: Entry = { pending: fetch() };
    this.#entries.set(key, entry);
    try {
      const creds = await entry.pending;
      if (creds.expiresAt !== undefined) entry.refreshAt = creds.expiresAt - refreshMarginMs(creds.expiresAt - startedAt);
      return creds;
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
  }
}
