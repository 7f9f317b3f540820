// vitest globalSetup: one self-signed TLS certificate per test run, trusted by every test worker.
//
// The wire fakes (test/fakes/azure/server.ts, …) serve HTTPS with this certificate, and the real @azure/* clients
// must trust it WITHOUT disabling verification (nothing here or anywhere may set NODE_TLS_REJECT_UNAUTHORIZED).
// Node reads NODE_EXTRA_CA_CERTS once, when a process starts; globalSetup runs in the main vitest process before the
// `forks` pool spawns its workers, and the pool copies process.env into each worker's environment at spawn. So:
//   - MAC_TEST_TLS_DIR  → a temp dir holding cert.pem and key.pem (the fakes read them from here)
//   - NODE_EXTRA_CA_CERTS → a bundle of any CA file already configured there plus our cert (nothing is lost)
// Requires `pool: 'forks'` (worker_threads share the parent's already-loaded CA store).
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';

export const TLS_DIR_ENV = 'MAC_TEST_TLS_DIR';

/** Hostnames the certificate is valid for (IP SANs are added separately). */
export const TLS_HOSTNAMES = ['localhost', '*.localhost', '*.vault.localhost'];

export interface TestTlsFiles {
  dir: string;
  certFile: string;
  keyFile: string;
  /** The NODE_EXTRA_CA_CERTS bundle: our cert plus whatever extra CAs the environment already had. */
  bundleFile: string;
}

/** Makes a self-signed certificate for localhost/127.0.0.1/::1 and writes the PEM files to a new temp dir. */
export async function createTestTls(): Promise<TestTlsFiles> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000); // tolerate a little clock skew
  const notAfterDate = new Date(Date.now() + 7 * 24 * 3600_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // A self-signed certificate in the trust store is its own trust anchor; marking it a CA keeps OpenSSL happy
      // whichever way it builds the chain.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...TLS_HOSTNAMES.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: '127.0.0.1' },
          { type: 7 as const, ip: '::1' },
        ],
      },
    ],
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mac-test-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const bundleFile = path.join(dir, 'ca-bundle.pem');
  await writeFile(certFile, pems.cert);
  await writeFile(keyFile, pems.private, { mode: 0o600 });

  let inherited = '';
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (existing) {
    try {
      inherited = await readFile(existing, 'utf8');
    } catch {
      inherited = ''; // an unreadable file is what Node would have warned about anyway
    }
  }
  await writeFile(bundleFile, `${pems.cert.trim()}\n${inherited ? `${inherited.trim()}\n` : ''}`);
  return { dir, certFile, keyFile, bundleFile };
}

export default async function setup(): Promise<() => Promise<void>> {
  const saved = { extra: process.env.NODE_EXTRA_CA_CERTS, dir: process.env[TLS_DIR_ENV] };
  const tls = await createTestTls();
  process.env[TLS_DIR_ENV] = tls.dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.bundleFile;
  return async () => {
    restore('NODE_EXTRA_CA_CERTS', saved.extra);
    restore(TLS_DIR_ENV, saved.dir);
    // vitest tears global setups down BEFORE it closes the worker pool, and the pool may still start a fresh worker
    // (which reads NODE_EXTRA_CA_CERTS) in between; so the files go only when this process exits.
    process.once('exit', () => rmSync(tls.dir, { recursive: true, force: true }));
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
