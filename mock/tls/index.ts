// The TLS set-up of one mock: the certificate its port serves (the local CA's localhost
// certificate, or the user's own), the CA to trust, and the bad-certificate profiles. It is
// loaded only when TLS is asked for, so a plain mock never loads the certificate library.
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { prepareTlsDir, TlsSetupError, tlsDir } from './cache-dir';
import { loadLocalCa } from './local-ca';
import { makeProfile, tlsProfileSpecs, type ProfileCredentials, type TlsProfileSpec } from './profiles';

export { TlsSetupError } from './cache-dir';
export { createTlsFront, type TlsFront } from './listener';

export interface TlsOptions {
  /** The cache folder of the CA (--tls-dir); the user's cache directory by default. */
  dir?: string;
  /** The user's own certificate and key, PEM files (--tls-cert, --tls-key): served instead of the local CA's. */
  certFile?: string;
  keyFile?: string;
  /** Also make the bad-certificate profiles (--tls-profiles). */
  profiles?: boolean;
}

export interface TlsSetup {
  /** What the main port serves. */
  credentials: { key: string; cert: string };
  /** The mock's CA (PEM) and where it is on disk; absent when the user's certificate is served and no profile needs a CA. */
  ca?: { pem: string; path: string; created: boolean };
  /** Whether the main port serves the user's own certificate. */
  own: boolean;
  profiles: Array<TlsProfileSpec & { credentials: ProfileCredentials }>;
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsSetupError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The user's certificate and key, checked: each loads, and the key is the certificate's. */
function ownCredentials(certFile: string | undefined, keyFile: string | undefined): { key: string; cert: string } {
  if (certFile === undefined || keyFile === undefined) throw new TlsSetupError(certFile === undefined ? '--tls-key needs --tls-cert: give the certificate too' : '--tls-cert needs --tls-key: give its private key too');
  const cert = readPem('--tls-cert', certFile);
  const key = readPem('--tls-key', keyFile);
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(cert);
  } catch {
    throw new TlsSetupError(`--tls-cert ${certFile} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsSetupError(`--tls-key ${keyFile} is not a PEM private key, or it is encrypted (give an unencrypted key)`);
  }
  if (!parsed.checkPrivateKey(privateKey)) throw new TlsSetupError(`--tls-key ${keyFile} is not the private key of --tls-cert ${certFile}`);
  return { key, cert };
}

/** Loads or makes what the mock serves over TLS. */
export async function setUpTls(options: TlsOptions): Promise<TlsSetup> {
  const own = options.certFile !== undefined || options.keyFile !== undefined;
  // A bad --tls-dir is refused even when the user's own certificate makes it unused.
  if (options.dir !== undefined) tlsDir(options.dir);
  const credentials = own ? ownCredentials(options.certFile, options.keyFile) : undefined;
  if (own && !options.profiles) return { credentials: credentials!, own, profiles: [] };
  // The wall clock, not the mock's: a client checks a certificate's dates against its own.
  const now = Date.now();
  const local = await loadLocalCa(prepareTlsDir(options.dir), now);
  const specs = options.profiles ? tlsProfileSpecs() : [];
  const profiles = await Promise.all(specs.map(async (spec) => ({ ...spec, credentials: await makeProfile(spec.name, local.ca, now) })));
  return {
    credentials: credentials ?? { key: local.leaf.keyPem, cert: local.leaf.certPem },
    ca: { pem: local.ca.certPem, path: local.caPath, created: local.createdCa },
    own,
    profiles,
  };
}
