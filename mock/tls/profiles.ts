// The bad-certificate profiles: control.yaml's x-cortex-tls-profiles names each one and the
// error a validating client raises; this file makes each one's certificate (and the chain
// its port sends). Every profile is wrong in its certificate only: the port serves the same
// API, so a client that skips validation gets 200 there.
import { CONTROL_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { issue, type Issued } from './certificates';
import { LOCAL_HOSTS } from './local-ca';

/** A profile as control.yaml declares it. */
export interface TlsProfileSpec {
  name: string;
  expected_error: string;
  description: string;
}

/** What a profile's port serves: its key, and the certificates it sends (leaf first). */
export interface ProfileCredentials {
  keyPem: string;
  chainPem: string;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

type Maker = (ca: Issued, now: number) => Promise<ProfileCredentials>;

const leafOf = (issued: Issued, ...chain: Issued[]): ProfileCredentials => ({ keyPem: issued.keyPem, chainPem: [issued, ...chain].map((c) => c.certPem).join('') });
const localLeaf = (issuer: Issued | undefined, notBefore: number, notAfter: number, hosts: readonly string[] = LOCAL_HOSTS) =>
  issue({ name: hosts[0], issuer, hosts, notBefore: new Date(notBefore), notAfter: new Date(notAfter) });

/** How each profile's certificate is wrong. */
const MAKERS: Record<string, Maker> = {
  expired: async (ca, now) => leafOf(await localLeaf(ca, now - 30 * DAY_MS, now - DAY_MS)),
  not_yet_valid: async (ca, now) => leafOf(await localLeaf(ca, now + YEAR_MS, now + 2 * YEAR_MS)),
  wrong_host: async (ca, now) => leafOf(await localLeaf(ca, now - DAY_MS, now + YEAR_MS, ['wrong.host.invalid'])),
  self_signed: async (_ca, now) => leafOf(await localLeaf(undefined, now - DAY_MS, now + YEAR_MS)),
  unknown_ca: async (_ca, now) => {
    // A root made for this start, kept in memory only: no client can have been given it.
    const stranger = await issue({ name: 'cortex-edr-mock unknown CA', notBefore: new Date(now - DAY_MS), notAfter: new Date(now + YEAR_MS), ca: { pathLength: 1 } });
    return leafOf(await localLeaf(stranger, now - DAY_MS, now + YEAR_MS), stranger);
  },
  incomplete_chain: async (ca, now) => {
    const intermediate = await issue({ name: 'cortex-edr-mock intermediate CA', issuer: ca, notBefore: new Date(now - DAY_MS), notAfter: new Date(now + YEAR_MS), ca: { pathLength: 0 } });
    // Sent without the intermediate: a client holding only the root cannot build the chain.
    return leafOf(await localLeaf(intermediate, now - DAY_MS, now + YEAR_MS));
  },
};

/** control.yaml's profiles, in its order; start-up fails when one has no maker here. */
export function tlsProfileSpecs(): TlsProfileSpec[] {
  const profiles = readSpecFile(CONTROL_SPEC_PATH)['x-cortex-tls-profiles'] as TlsProfileSpec[] | undefined;
  if (!Array.isArray(profiles)) throw new Error(`${CONTROL_SPEC_PATH}: x-cortex-tls-profiles is missing`);
  for (const p of profiles) if (!MAKERS[p.name]) throw new Error(`${CONTROL_SPEC_PATH}: x-cortex-tls-profiles names ${p.name}, which the mock cannot make`);
  return profiles;
}

/** Makes the certificate (and chain) of one profile, against the mock's CA at `now` (the wall clock Node's TLS checks). */
export function makeProfile(name: string, ca: Issued, now: number): Promise<ProfileCredentials> {
  return MAKERS[name](ca, now);
}
