/**
 * A throwaway certificate authority made with the system's `openssl` for TLS tests: a CA, and leaf certificates
 * it signs (for 127.0.0.1 and localhost unless told otherwise, or already expired), plus a self-signed leaf.
 * Everything lives in one temporary directory that `cleanup()` removes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Leaf {
  key: string;
  cert: string;
}

export interface TestCa {
  dir: string;
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caPath: string;
  /** A leaf signed by the CA. */
  leaf(options?: { altNames?: string; expired?: boolean }): Promise<Leaf>;
  /** A self-signed leaf for 127.0.0.1 (no CA). */
  selfSigned(): Promise<Leaf>;
  cleanup(): Promise<void>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function makeTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'tcss-ca-'));
  const at = (name: string): string => join(dir, name);
  await run('openssl', ['req', '-x509', ...EC, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=tcss test CA']);
  let n = 0;
  const read = async (name: string): Promise<Leaf> => ({ key: await readFile(at(`${name}.key`), 'utf8'), cert: await readFile(at(`${name}.pem`), 'utf8') });
  return {
    dir,
    caPath: at('ca.pem'),
    async leaf(options = {}) {
      const name = `leaf${(n += 1)}`;
      await writeFile(at(`${name}.ext`), `subjectAltName=${options.altNames ?? 'IP:127.0.0.1,DNS:localhost'}\n`);
      await run('openssl', ['req', ...EC, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', '/CN=tcss test server']);
      await run('openssl', [
        'x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', String(1000 + n),
        '-out', at(`${name}.pem`), '-days', options.expired ? '-1' : '1', '-extfile', at(`${name}.ext`),
      ]);
      return read(name);
    },
    async selfSigned() {
      const name = `self${(n += 1)}`;
      await run('openssl', ['req', '-x509', ...EC, '-keyout', at(`${name}.key`), '-out', at(`${name}.pem`), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
      return read(name);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
