// What the suites are given: the settings of the run, `call` (one operation, checked
// against the spec and recorded for the coverage matrix), the keys by role, and the cases
// they register. One harness per run; nothing is read from the environment or shared
// through files. Each job has its file: sending within the budget (budget.ts), building a
// call (call.ts), ids for path parameters (ids.ts, from the spec's links), the cases
// (cases.ts) and the roles (roles.ts); this file puts them together.
import { loadPublicSpec, type LoadedSpec, type SpecOperation } from '../../lib/openapi/load-spec';
import { createBudgetedSend } from './budget';
import { buildCall, type CallOptions } from './call';
import { createCaseRegistry, type Precondition } from './cases';
import { createResponseCheck, expectStatus } from './checks';
import type { HttpResponse, Transport } from './http';
import { createIdSource } from './ids';
import { exampleBodyOf } from './links';
import { createRedactor, secretsInUrl } from './output';
import { lackingRoles, rightRole } from './roles';
import { signingSecrets } from './signing';
import { CANNOT, KEY_ENV, type Capability, type KeyRole, type Settings } from './settings';
import { RunStopped } from './stop';

export type { CallOptions } from './call';
export type { Precondition, RegisteredCase, SkipKind } from './cases';
export { ROLE_PERMISSIONS, type Role } from './roles';
export { RunStopped } from './stop';

/** `word` with its indefinite article: "an admin", "an unknown", "a read", "a user". */
export function withArticle(word: string): string {
  // A u sounded as "you" (u, a consonant, a vowel: "user") takes "a".
  return `${/^(?!u[^aeiou][aeiou])[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

export interface CoverageRecord {
  operationId: string;
  status: number;
  auth: string;
}

/** Auth outcomes a server must refuse: a request sent so is no change, whatever its key. */
const REFUSED = new Set(['none', 'malformed', 'unknown', 'expired', 'revoked', 'forbidden', 'both-methods', 'exhausted']);

/** `spec` is read once per run (the public document by default) and checked against by every case. */
export function createHarness(settings: Settings, transport: Transport, sleep: (ms: number) => Promise<void>, now: () => number = Date.now, spec: LoadedSpec = loadPublicSpec()) {
  const checkResponse = createResponseCheck(spec);
  const coverage: CoverageRecord[] = [];
  /** The run's redaction: its keys, its signing key and secret, and the base URL's secrets by value, and lib/redact's rules. */
  const redact = createRedactor([...Object.values(settings.keys), ...signingSecrets(settings.signing), ...secretsInUrl(settings.baseUrl)]);
  const send = createBudgetedSend({ settings, transport, sleep, now, spec, redact });
  const registry = createCaseRegistry();

  function operation(id: string): SpecOperation {
    const op = spec.operations.find((o) => o.operationId === id);
    if (!op) throw new Error(`no operation ${id} in the spec`);
    return op;
  }

  const cannot = (capability: Capability): string | undefined => CANNOT[settings.target][capability];

  /** Calls `op` and checks the response against the spec. */
  async function call(op: SpecOperation, options: CallOptions): Promise<HttpResponse> {
    // The last line of "never with a live key unless told to": the suites skip such cases
    // (changesOk); a change sent with a live key that slipped past them is refused here.
    if (op.method !== 'get' && options.key?.startsWith('sk_live_') && !settings.allowLive && !REFUSED.has(options.auth)) {
      throw new Error(`[live-key] ${op.operationId}: not sent, it could change live data with a live key (pass --allow-live)`);
    }
    const { url, ...init } = buildCall(settings.baseUrl, op, options);
    const tolerate429 = options.expect?.status === 429 || options.auth === 'exhausted' || options.auth === 'forced';
    const res = await send(op.method, url, init, tolerate429);
    coverage.push({ operationId: op.operationId, status: res.status, auth: options.auth });
    if (options.expect) expectStatus(op, res, options.expect.status, options.expect.why);
    if (!options.unchecked) checkResponse(op, res, { clock: cannot('rate-limits') === undefined });
    return res;
  }

  /** Holds when the target can do `capability`; else says why it cannot. */
  const can = (capability: Capability): Precondition => [cannot(capability) === undefined, cannot(capability) ?? '', 'target-cannot'];
  const keyOf = (role: KeyRole) => settings.keys[role];
  const keyMissing = (role: KeyRole): Precondition => [keyOf(role) !== undefined, `${KEY_ENV[role]} is not set`, 'missing-key', KEY_ENV[role]];
  const ids = createIdSource({ spec, call, keyOf, cannot });

  // Names unique to this run, so a run against a shared server never collides with another.
  let serial = 0;
  const runId = `${now().toString(36)}${process.pid.toString(36)}`;

  return {
    settings,
    spec,
    redact,
    checkResponse,
    /** A name no other run (nor another call in this one) has used. */
    unique: () => `${runId}${(serial++).toString(36)}`,
    ...registry,
    coverage,
    call,
    operation,
    cannot,
    can,
    keyOf,
    keyMissing,
    rightRole,
    lackingRoles,
    ...ids,
    /** A request body for `op`: the spec's own request example. */
    exampleBody: (op: SpecOperation) => exampleBodyOf(spec, op),
    /** Lets `ms` of the server's time pass: the mock's clock moves (--target mock), else the run waits. */
    async pass(ms: number): Promise<void> {
      if (settings.controlUrl) {
        await transport.send('POST', `${settings.controlUrl}/clock/advance`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ms }), timeoutMs: settings.timeoutMs });
      } else {
        if (ms > settings.deadline - now()) throw new RunStopped('deadline', `waiting ${ms} ms for the server's time to pass would go past the deadline (--max-time)`);
        await sleep(ms);
      }
    },
    /** Holds unless `op` changes state and the key of `role` is live, without --allow-live. */
    changesOk: (op: SpecOperation, role: KeyRole): Precondition => [
      op.method === 'get' || !(keyOf(role)?.startsWith('sk_live_') ?? false) || settings.allowLive,
      `the ${role} key is a live key: pass --allow-live to change live data`,
    ],
    isLive: (key: string | undefined) => key?.startsWith('sk_live_') ?? false,
  };
}

export type Harness = ReturnType<typeof createHarness>;
