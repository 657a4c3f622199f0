// Makes the mock's certificates with @peculiar/x509 over Node's WebCrypto: ECDSA P-256 keys
// and ECDSA-with-SHA-256 signatures. Nothing here uses SHA-1: the key identifiers are the
// first 160 bits of the key's SHA-256 (RFC 7093 section 2, method 1), not RFC 5280's SHA-1.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate and its private key, as PEM and as the objects that sign with them. */
export interface Issued {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  key: CryptoKey;
}

export interface IssueOptions {
  /** The subject's common name. */
  name: string;
  /** Signs it; self-signed when omitted. */
  issuer?: Issued;
  /** Host names and IP addresses for the subjectAltName; none for a CA. */
  hosts?: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** A CA (an intermediate when it has an issuer) with this path length; a server leaf when omitted. */
  ca?: { pathLength: number };
}

/** The key identifier of a public key: SHA-256 of its SubjectPublicKeyInfo, cut to 160 bits. */
function keyId(spki: ArrayBuffer): string {
  return createHash('sha256').update(Buffer.from(spki)).digest('hex').slice(0, 40);
}

function pemOfKey(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Issues one certificate with a new key. */
export async function issue(options: IssueOptions): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  const signer = options.issuer ?? { cert: undefined, key: keys.privateKey };
  const issuerSpki = options.issuer ? options.issuer.cert.publicKey.rawData : spki;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca !== undefined, options.ca?.pathLength, true),
    new x509.KeyUsagesExtension(options.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature, true),
    new x509.SubjectKeyIdentifierExtension(keyId(spki)),
    new x509.AuthorityKeyIdentifierExtension(keyId(issuerSpki)),
  ];
  if (!options.ca) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    const names = (options.hosts ?? []).map((host) => ({ type: isIP(host) ? ('ip' as const) : ('dns' as const), value: host }));
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: webcrypto.getRandomValues(Buffer.alloc(16)).toString('hex').replace(/^[89a-f]/, '1'),
    subject: `CN=${options.name}, O=cortex-edr-mock`,
    issuer: options.issuer ? options.issuer.cert.subject : `CN=${options.name}, O=cortex-edr-mock`,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: keys.publicKey as never,
    signingKey: signer.key as never,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  // One PEM per line-ended block, so a chain is the blocks one after another.
  return { certPem: `${cert.toString('pem').trimEnd()}\n`, keyPem: pemOfKey(keys.privateKey), cert, key: keys.privateKey };
}

/** Reads a certificate and its key back from PEM, to sign with again (the cached CA). */
export async function loadIssued(certPem: string, keyPem: string): Promise<Issued> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
  return { certPem, keyPem, cert: new x509.X509Certificate(certPem), key };
}

/** The subjectAltName entries of a certificate as `localhost`, `127.0.0.1`, `::1`, sorted. */
export function subjectAltNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter(Boolean)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .map((value) => (isIP(value) === 6 ? normalizeIpv6(value) : value))
    .sort();
}

function normalizeIpv6(value: string): string {
  // Node prints ::1 as 0:0:0:0:0:0:0:1; compare in the short form.
  return new URL(`http://[${value}]`).hostname.slice(1, -1);
}
