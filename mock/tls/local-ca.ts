// The mock's local CA and its certificate for localhost, kept in the cache folder: made on
// first use, read back on every start after it. The CA lives ten years, so it is trusted
// once; the localhost certificate is made again when it has expired (or will within a
// day), when the host names it should carry change, or when the CA is not its issuer.
// Private keys are written 0600 in a 0700 folder.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { issue, loadIssued, subjectAltNames, type Issued } from './certificates';
import { TlsSetupError } from './cache-dir';

/** What the localhost certificate is for (RFC 6125: the names a client checks). */
export const LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

const DAY_MS = 86_400_000;
/** 397 days: the most a browser accepts for a server certificate (CA/Browser Forum). */
const LEAF_DAYS = 397;
const CA_DAYS = 3650;

export const CA_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
export const LEAF_FILE = 'localhost.pem';
export const LEAF_KEY_FILE = 'localhost-key.pem';

export interface LocalCa {
  ca: Issued;
  /** The CA's certificate on disk: what NODE_EXTRA_CA_CERTS and curl --cacert take. */
  caPath: string;
  leaf: Issued;
  /** Whether this start made the CA (it was not in the folder). */
  createdCa: boolean;
  /** Whether this start made the localhost certificate. */
  createdLeaf: boolean;
}

function writeKeyPair(dir: string, certFile: string, keyFile: string, issued: Issued): void {
  writeFileSync(join(dir, keyFile), issued.keyPem, { mode: 0o600 });
  // The mode is only applied when the file is created; a key written over an old one keeps 0600 too.
  chmodSync(join(dir, keyFile), 0o600);
  writeFileSync(join(dir, certFile), issued.certPem, { mode: 0o644 });
}

async function readPair(dir: string, certFile: string, keyFile: string): Promise<Issued | undefined> {
  const certPath = join(dir, certFile);
  const keyPath = join(dir, keyFile);
  if (!existsSync(certPath) && !existsSync(keyPath)) return undefined;
  try {
    return await loadIssued(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
  } catch (err) {
    throw new TlsSetupError(`cannot read ${certPath} and ${keyPath} (${(err as Error).message}): delete them and the mock makes new ones`);
  }
}

function leafFits(leaf: Issued, ca: Issued, hosts: readonly string[], now: number): boolean {
  const cert = new X509Certificate(leaf.certPem);
  const caCert = new X509Certificate(ca.certPem);
  const valid = Date.parse(cert.validFrom) <= now && Date.parse(cert.validTo) > now + DAY_MS;
  const sameNames = JSON.stringify(subjectAltNames(cert)) === JSON.stringify([...hosts].sort());
  return valid && sameNames && cert.checkIssued(caCert) && cert.verify(caCert.publicKey);
}

/** Reads the CA and the localhost certificate from `dir`, making what is missing or stale. */
export async function loadLocalCa(dir: string, now: number, hosts: readonly string[] = LOCAL_HOSTS): Promise<LocalCa> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new TlsSetupError(`cannot create the TLS folder ${dir}: ${(err as Error).message}`);
  }
  let ca = await readPair(dir, CA_FILE, CA_KEY_FILE);
  let createdCa = false;
  if (!ca || Date.parse(new X509Certificate(ca.certPem).validTo) <= now + DAY_MS) {
    ca = await issue({ name: 'cortex-edr-mock local CA', notBefore: new Date(now - DAY_MS), notAfter: new Date(now + CA_DAYS * DAY_MS), ca: { pathLength: 1 } });
    writeKeyPair(dir, CA_FILE, CA_KEY_FILE, ca);
    createdCa = true;
  }
  let leaf = createdCa ? undefined : await readPair(dir, LEAF_FILE, LEAF_KEY_FILE);
  let createdLeaf = false;
  if (!leaf || !leafFits(leaf, ca, hosts, now)) {
    leaf = await issue({ name: 'localhost', issuer: ca, hosts, notBefore: new Date(now - DAY_MS), notAfter: new Date(now + LEAF_DAYS * DAY_MS) });
    writeKeyPair(dir, LEAF_FILE, LEAF_KEY_FILE, leaf);
    createdLeaf = true;
  }
  return { ca, caPath: join(dir, CA_FILE), leaf, createdCa, createdLeaf };
}
