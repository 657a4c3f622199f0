// Before the suites: is the base URL the API's, and does each key given fit its role? The
// harness asks the server itself (GET /whoami, the spec's "who am I" for any valid key;
// signed for the key that requires signing), so a wrong base URL or a wrong key is one
// message naming the cause, instead of dozens of contract failures put down to the server
// ("expected 403 (a read key lacks admin), got 200", or "status 404 is not documented" on
// every operation).
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { ROLE_PERMISSIONS, RunStopped, type Harness, type Role } from './harness';
import { serverText } from './checks';
import { TransportError, type HttpResponse } from './http';
import { KEY_ENV, type KeyRole } from './settings';
import { keyIdFromWhoami, SIGNING_ENV } from './signing';

/** Why the run cannot go on: the base URL is not the API's, or a key does not fit its role. */
export interface PreflightStop {
  kind: 'bad-base-url' | 'bad-key';
  message: string;
}

/** The permissions a set grants, its implications included (admin implies read and write). */
function granted(permissions: string[], implications: Record<string, string[]>): string[] {
  const out = new Set<string>();
  const add = (p: string) => {
    if (out.has(p)) return;
    out.add(p);
    for (const q of implications[p] ?? []) add(q);
  };
  permissions.forEach(add);
  return [...out].sort();
}

const reasonOf = (res: HttpResponse): string | undefined => {
  const reason = (res.body as { error?: { details?: { reason?: unknown } } } | undefined)?.error?.details?.reason;
  return typeof reason === 'string' ? reason : undefined;
};

/** What is wrong with the key given for `role`, judged by the server's own answer, or undefined when it fits (or the answer cannot tell). */
function misfit(role: KeyRole, res: HttpResponse, implications: Record<string, string[]>): string | undefined {
  if (role === 'expired' || role === 'revoked') {
    if (res.status === 200) return `the server accepts it (200 at /whoami): it is not ${role === 'expired' ? 'an expired' : 'a revoked'} key, or the server does not refuse ${role} keys`;
    const reason = reasonOf(res);
    if (res.status === 401 && reason !== undefined && reason !== role) return `the server refuses it as ${serverText(reason)} (401), not as ${role}`;
    return undefined;
  }
  if (res.status === 401) return `the server refuses it (401${reasonOf(res) ? `, reason ${serverText(reasonOf(res))}` : ''})`;
  const permissions = (res.body as { key?: { permissions?: unknown } } | undefined)?.key?.permissions;
  if (res.status !== 200 || !Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string')) return undefined;
  const expected = ROLE_PERMISSIONS[role as Role];
  const has = granted(permissions, implications);
  const wants = granted(expected, implications);
  if (JSON.stringify(has) === JSON.stringify(wants)) return undefined;
  const name = (ps: string[]) => (ps.length ? serverText(`[${ps.join(', ')}]`) : 'no permissions');
  return `the key has ${name(permissions)}, where this variable takes a key with ${name(expected)} only: the checks of what such a key may not do would fail on the key, not on the server`;
}

/**
 * Checks the base URL and every key given against the server. A stop is returned; a 429
 * stops the run as any unasked-for 429 does (RunStopped); a transport fault leaves the
 * verdict to the checks.
 */
export async function preflight(h: Harness): Promise<PreflightStop | undefined> {
  const whoami: SpecOperation = h.operation('getWhoami');
  try {
    const bare = await h.call(whoami, { auth: 'none', unchecked: true });
    if (bare.status === 404) {
      const path = new URL(h.settings.baseUrl).pathname.replace(/\/$/, '');
      const base = h.spec.basePath;
      const hint = base && !path.endsWith(base) ? `; the base URL does not end in ${base}: try ${h.settings.baseUrl}${base}` : '';
      return { kind: 'bad-base-url', message: `${h.settings.baseUrl}${whoami.path} answers 404, so this is not the API's base URL${hint}` };
    }
    const problems: string[] = [];
    const signing = h.settings.signing;
    /** The signing key's whoami is signed: one unsigned request first tells the server's time and, unless given, the key id. */
    const signedProblem = async (key: string): Promise<string | undefined> => {
      if (!signing || key !== signing.apiKey) return undefined;
      signing.keyId ??= keyIdFromWhoami(await h.call(whoami, { key, auth: 'unsigned', sign: false, unchecked: true }));
      return signing.keyId ? undefined : `the key id to sign with is unknown: set ${SIGNING_ENV.keyId}, or have the server name it in Accept-Signature`;
    };
    for (const role of Object.keys(KEY_ENV) as KeyRole[]) {
      const key = h.settings.keys[role];
      if (key === undefined) continue;
      const problem = (await signedProblem(key)) ?? misfit(role, await h.call(whoami, { key, auth: role === 'expired' || role === 'revoked' ? role : 'valid', unchecked: true }), h.spec.permissionImplications);
      if (problem) problems.push(`${KEY_ENV[role]}: ${problem}`);
    }
    // A signing key of its own (CORTEX_SIGNING_API_KEY) takes any permissions: it must be accepted, signed.
    if (signing?.apiKey !== undefined && !Object.values(h.settings.keys).includes(signing.apiKey)) {
      const key = signing.apiKey;
      const res = (await signedProblem(key)) ?? (await h.call(whoami, { key, auth: 'signed', unchecked: true }));
      const problem = typeof res === 'string' ? res : res.status === 401 ? `the server refuses it signed (401${reasonOf(res) ? `, reason ${serverText(reasonOf(res))}` : ''}): check ${SIGNING_ENV.secret} or ${SIGNING_ENV.keyFile}, and ${SIGNING_ENV.keyId}` : undefined;
      if (problem) problems.push(`${signing.keyVar}: ${problem}`);
    }
    if (problems.length) return { kind: 'bad-key', message: `${problems.length === 1 ? 'a key does' : 'keys do'} not fit ${problems.length === 1 ? 'its variable' : 'their variables'}: ${problems.join('; ')}` };
    return undefined;
  } catch (err) {
    if (err instanceof RunStopped) throw err;
    if (err instanceof TransportError) return undefined;
    throw err;
  }
}
