// What the suites are given: the settings of the run, `call` (one operation, checked
// against the spec and recorded for the coverage matrix), the keys by role, and the cases
// they register. One harness per run; nothing is read from the environment or shared
// through files.
import { loadPublicSpec, type LoadedSpec, type SpecOperation } from '../../lib/openapi/load-spec';
import { createResponseCheck, expectStatus, serverValue } from './checks';
import type { HttpResponse, Transport } from './http';
import { createRedactor, secretsInUrl } from './output';
import { CANNOT, KEY_ENV, type Capability, type KeyRole, type Settings } from './settings';

export type Role = 'read' | 'write' | 'admin' | 'noPerm';

/** What each role's key carries: the env variables are named for these permissions. */
export const ROLE_PERMISSIONS: Record<Role, string[]> = { read: ['read'], write: ['write'], admin: ['admin'], noPerm: [] };

export interface CallOptions {
  key?: string;
  via?: 'header' | 'query';
  /** What the call exercises, for the matrix: valid, none, malformed, unknown, expired, revoked, forbidden, forced... */
  auth: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Skip the universal checks (the caller checks the failure it expects). */
  unchecked?: boolean;
  /** The exact status due, checked before anything else: a wrong status is the diagnosis. */
  expect?: { status: number; why: string };
}

/** `word` with its indefinite article: "an admin", "an unknown", "a read", "a user". */
export function withArticle(word: string): string {
  // A u sounded as "you" (u, a consonant, a vowel: "user") takes "a".
  return `${/^(?!u[^aeiou][aeiou])[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * Why a case is skipped, which CI must tell apart: a key the run was not given (a gap the
 * run fails on, unless --allow-missing-keys), something the run was not asked to do
 * (--allow-writes and the like), or something the target cannot do (Prism).
 */
export type SkipKind = 'missing-key' | 'not-asked' | 'target-cannot';

/** A precondition: [holds, why the case is skipped when it does not, the kind of that reason (not-asked unless said), the missing key's variable]. */
export type Precondition = [boolean, string] | [boolean, string, SkipKind] | [boolean, string, 'missing-key', string];

export interface RegisteredCase {
  suite: string;
  name: string;
  skip?: string;
  skipKind?: SkipKind;
  /** The variable of the key whose absence skips the case. */
  missingKey?: string;
  fn: () => Promise<void>;
}

/**
 * The run stops here, for a reason that is not one check's failure: the deadline passed,
 * the rate-limit budget is used up and will not come back in time, the server cannot be
 * reached, a 429 does not say when the budget comes back, or the run was interrupted. The
 * runner lists what was not run.
 */
export class RunStopped extends Error {
  constructor(
    readonly kind: 'deadline' | 'rate-limit-budget' | 'malformed-429' | 'unreachable' | 'interrupted',
    message: string,
  ) {
    super(`[${kind}] ${message}`);
    this.name = 'RunStopped';
  }
}

export interface CoverageRecord {
  operationId: string;
  status: number;
  auth: string;
}

/** When the window resets, as X-RateLimit-Reset says (UNIX epoch seconds), or what is wrong with it. */
function resetText(header: string | undefined, redactText: (text: string) => string): string {
  if (header === undefined) return 'the 429 has no X-RateLimit-Reset, so when the budget returns is not known';
  // Epoch seconds a Date can hold (ECMA-262 section 21.4.1.22: 8.64e15 ms either side of 1970).
  if (/^\d{1,12}$/.test(header) && Number(header) * 1000 <= 8.64e15) return `it resets at ${new Date(Number(header) * 1000).toISOString()}`;
  return `its X-RateLimit-Reset ${serverValue(header, redactText)} is not UNIX epoch seconds, so when the budget returns is not known`;
}

/** `spec` is read once per run (the public document by default) and checked against by every case. */
export function createHarness(settings: Settings, transport: Transport, sleep: (ms: number) => Promise<void>, now: () => number = Date.now, spec: LoadedSpec = loadPublicSpec()) {
  const SPEC = spec;
  const checkResponse = createResponseCheck(spec);
  const cases: RegisteredCase[] = [];
  const skippedNotes: Array<{ scenario: string; reason: string; kind: SkipKind }> = [];
  const coverage: CoverageRecord[] = [];
  let suite = '';
  const groups: string[] = [];
  /** The run's redaction: its keys and the base URL's secrets by value, and lib/redact's rules. */
  const redact = createRedactor([...Object.values(settings.keys), ...secretsInUrl(settings.baseUrl)]);
  const roleOfKey = new Map<string, KeyRole>(Object.entries(settings.keys).map(([role, key]) => [key!, role as KeyRole]));
  /** Ids read once per run from the list operations (saves budget on a real server). */
  const idCache = new Map<string, string>();

  function operation(id: string): SpecOperation {
    const op = SPEC.operations.find((o) => o.operationId === id);
    if (!op) throw new Error(`no operation ${id} in the spec`);
    return op;
  }

  const cannot = (capability: Capability): string | undefined => CANNOT[settings.target][capability];

  /** Sends, and when an unexpected 429 says the budget is gone, waits for it or stops. */
  async function sendWithinBudget(method: string, url: string, init: { headers: Record<string, string>; body?: string }, tolerate429: boolean): Promise<HttpResponse> {
    const send = async () => {
      const left = settings.deadline - now();
      if (left <= 0) throw new RunStopped('deadline', 'the run reached its deadline (--max-time)');
      const got = await transport.send(method, url, { ...init, timeoutMs: Math.min(settings.timeoutMs, left), maxBytes: settings.maxResponseBytes, maxDepth: settings.maxJsonDepth, maxContainers: settings.maxJsonContainers, redact });
      // The text is only ever quoted, often cut to an excerpt: redacted whole first, so no
      // cut leaves part of a secret behind. The checks read the parsed body.
      return { ...got, text: redact(got.text) };
    };
    const res = await send();
    if (res.status !== 429 || tolerate429) return res;
    const error = (res.body as { error?: { code?: string; details?: unknown } } | undefined)?.error;
    const details = error?.details;
    const hasDetails = typeof details === 'object' && details !== null && !Array.isArray(details);
    const hasRetryAfter = /^\d+$/.test(res.headers['retry-after'] ?? '');
    // A 429 that does not say when the budget returns would meet every further check the
    // same way: one named stop instead of a failure (or a TypeError) per check.
    if (!hasDetails || !hasRetryAfter) {
      const missing = [hasRetryAfter ? '' : 'no Retry-After header', hasDetails ? '' : 'no error.details'].filter(Boolean).join(' and ');
      throw new RunStopped('malformed-429', `${res.request} -> 429 with ${missing}: a rate-limit refusal that does not say when the budget returns (the spec requires both), so the run stops here`);
    }
    if (error?.code !== 'RATE_LIMIT_EXCEEDED') return res;
    const retryAfter = Number(res.headers['retry-after']);
    let waited: string;
    if (settings.controlUrl) {
      // Our own mock: move its clock to the next window instead of waiting.
      await transport.send('POST', `${settings.controlUrl}/clock/advance`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seconds: Math.max(1, retryAfter) }), timeoutMs: settings.timeoutMs });
      const again = await send();
      if (again.status !== 429) return again;
      waited = `the mock's clock was moved on by Retry-After (${retryAfter} s) and the server still answers 429`;
    } else if (retryAfter * 1000 + 1000 < settings.deadline - now()) {
      await sleep(retryAfter * 1000 + 1000);
      const again = await send();
      if (again.status !== 429) return again;
      waited = `the run waited out Retry-After (${retryAfter} s) and the server still answers 429`;
    } else {
      waited = `waiting out Retry-After (${retryAfter} s) would pass this run's deadline (--max-time)`;
    }
    throw new RunStopped('rate-limit-budget', budgetMessage(init.headers, url, res, waited));
  }

  /**
   * The stop on a spent budget, in words that hold whatever the 429 says: every value it
   * took from the server is checked against the spec's shape for it (a plan id of
   * x-cortex-plans, a whole limit, a reset in epoch seconds) and quoted bounded when it does
   * not fit, so a 9 MB `details.plan` makes a message of a few hundred characters.
   */
  function budgetMessage(headers: Record<string, string>, url: string, res: HttpResponse, waited: string): string {
    const details = (res.body as { error: { details: Record<string, unknown> } }).error.details;
    const key = headers.Authorization?.replace(/^Bearer /, '') ?? new URL(url).searchParams.get('api_key') ?? '';
    const role = roleOfKey.get(key);
    const whose = role ? `the key in ${KEY_ENV[role]}` : key ? 'a key of the run' : 'this client, whose request carried no key';
    const planIds = SPEC.plans.map((p) => p.id);
    const limit = Number.isInteger(details.limit) && (details.limit as number) >= 1 ? `${String(details.limit)} request${details.limit === 1 ? '' : 's'} per window` : details.limit === undefined ? 'details.limit not given' : `details.limit ${serverValue(details.limit, redact)}, not a whole number of requests`;
    const plan = typeof details.plan === 'string' && planIds.includes(details.plan) ? `plan ${details.plan}` : `details.plan ${serverValue(details.plan, redact)}, not a plan id of the spec (${planIds.join(', ')})`;
    const budget =
      details.plan !== undefined
        ? `the rate-limit budget of ${whose} (${plan}; ${limit}) is used up`
        : `the server's limit on failed authentications from this client (${limit}) is reached`;
    return `stopped at the first 429: ${budget}; ${waited}; ${resetText(res.headers['x-ratelimit-reset'], redact)}. Run again after the reset.`;
  }

  /** Auth outcomes a server must refuse: a request sent so is no change, whatever its key. */
  const REFUSED = new Set(['none', 'malformed', 'unknown', 'expired', 'revoked', 'forbidden', 'both-methods', 'exhausted']);

  /** Calls `op` and checks the response against the spec. */
  async function call(op: SpecOperation, options: CallOptions): Promise<HttpResponse> {
    // The last line of "never with a live key unless told to": the suites skip such cases
    // (changesOk); a change sent with a live key that slipped past them is refused here.
    if (op.method !== 'get' && options.key?.startsWith('sk_live_') && !settings.allowLive && !REFUSED.has(options.auth)) {
      throw new Error(`[live-key] ${op.operationId}: not sent, it could change live data with a live key (pass --allow-live)`);
    }
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(options.params?.[name] ?? `missing_${name}`));
    const query = new URLSearchParams(options.query ?? {});
    const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
    if (options.key !== undefined) {
      if (options.via === 'query') query.set('api_key', options.key);
      else headers.Authorization = `Bearer ${options.key}`;
    }
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    const qs = query.toString();
    const tolerate429 = options.expect?.status === 429 || options.auth === 'exhausted' || options.auth === 'forced';
    const res = await sendWithinBudget(op.method, `${settings.baseUrl}${path}${qs ? `?${qs}` : ''}`, { headers, body }, tolerate429);
    coverage.push({ operationId: op.operationId, status: res.status, auth: options.auth });
    if (options.expect) expectStatus(op, res, options.expect.status, options.expect.why);
    if (!options.unchecked) checkResponse(op, res, { clock: cannot('rate-limits') === undefined });
    return res;
  }

  // --- cases ---------------------------------------------------------------------------

  const fullName = (name: string) => [...groups, name].join(' › ');

  /** Groups cases under a name, as `describe` does. */
  function describe(name: string, fn: () => void): void {
    groups.push(name);
    try {
      fn();
    } finally {
      groups.pop();
    }
  }

  function it(name: string, fn: () => Promise<void>): void {
    cases.push({ suite, name: fullName(name), fn });
  }

  /**
   * `it`, or a skipped case with the reason recorded when a precondition fails. A case is
   * put down to a missing key only when nothing else would skip it too.
   */
  function itWhen(preconditions: Precondition[]) {
    const failing = preconditions.filter(([ok]) => !ok);
    const reason = failing.find((p) => p[2] !== 'missing-key') ?? failing[0];
    if (!reason) return it;
    const kind: SkipKind = reason[2] ?? 'not-asked';
    return (name: string, fn: () => Promise<void>) => {
      skippedNotes.push({ scenario: name, reason: reason[1], kind });
      cases.push({ suite, name: fullName(name), skip: reason[1], skipKind: kind, ...(reason[3] ? { missingKey: reason[3] } : {}), fn });
    };
  }

  /** Notes a scenario the run leaves out, and why, for the summary. */
  function skipped(scenario: string, reason: string, kind: SkipKind = 'not-asked'): void {
    skippedNotes.push({ scenario, reason, kind });
  }

  /** Holds when the target can do `capability`; else says why it cannot. */
  const can = (capability: Capability): Precondition => [cannot(capability) === undefined, cannot(capability) ?? '', 'target-cannot'];

  // --- keys ------------------------------------------------------------------------------

  const keyOf = (role: KeyRole) => settings.keys[role];
  const keyMissing = (role: KeyRole): Precondition => [keyOf(role) !== undefined, `${KEY_ENV[role]} is not set`, 'missing-key', KEY_ENV[role]];

  /** The role whose key the operation should accept (admin implies read and write). */
  function rightRole(op: SpecOperation): Role {
    const needs = op.requiredPermissions;
    if (needs.length === 0 || needs.every((p) => p === 'read')) return 'read';
    if (needs.every((p) => p === 'write')) return 'write';
    return 'admin';
  }

  /** Roles whose key must be refused with 403 for the operation. */
  function lackingRoles(op: SpecOperation): Role[] {
    if (op.requiredPermissions.length === 0) return [];
    return (['read', 'write', 'noPerm'] as Role[]).filter((r) => !op.requiredPermissions.every((p) => ROLE_PERMISSIONS[r].includes(p)));
  }

  const LISTS: Record<string, { list: string; role: Role }> = {
    scan_id: { list: 'listScans', role: 'read' },
    report_id: { list: 'listReports', role: 'read' },
    user_id: { list: 'listUsers', role: 'admin' },
    key_id: { list: 'listApiKeys', role: 'admin' },
  };

  /** An existing id for each path parameter of `op`, read once per run from the list operations. */
  async function existingIds(op: SpecOperation): Promise<Record<string, string> | string> {
    const params: Record<string, string> = {};
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const cached = idCache.get(p.name);
      if (cached) {
        params[p.name] = cached;
        continue;
      }
      const source = LISTS[p.name];
      if (!source) return `no list operation gives a ${p.name}`;
      const key = keyOf(source.role);
      if (!key) return `${source.list} needs the ${source.role} key`;
      const res = await call(operation(source.list), { key, auth: 'valid', query: { limit: '1' } });
      const first = (res.body as { data?: Array<{ id: string }> }).data?.[0];
      if (!first) return `${source.list} returned no item to read`;
      // Prism makes up its data; a real server's first item is stable for a read-only run.
      if (cannot('state') === undefined) idCache.set(p.name, first.id);
      params[p.name] = first.id;
    }
    return params;
  }

  let throwaways = 0;
  /** A new resource to change or delete, so no fixture is touched: its id, or undefined when refused. */
  async function createThrowaway(param: string): Promise<string | undefined> {
    const n = `${Date.now().toString(36)}${(throwaways++).toString(36)}`;
    const made: Record<string, [string, Role, unknown]> = {
      scan_id: ['createScan', 'write', { target: `generated-${n}.example`, scan_type: 'full' }],
      user_id: ['createUser', 'admin', { email: `generated-${n}@example.com`, name: 'Generated', role: 'viewer' }],
      key_id: ['createApiKey', 'admin', { name: `generated-${n}`, permissions: [] }],
    };
    const [operationId, role, body] = made[param] ?? [];
    if (!operationId || !keyOf(role)) return undefined;
    const res = await call(operation(operationId), { key: keyOf(role), auth: 'valid', body, unchecked: true });
    return res.status === 201 ? (res.body as { id: string }).id : undefined;
  }

  /** A request body for `op`: the spec's own request example. */
  function exampleBody(op: SpecOperation): unknown {
    const doc = SPEC.document as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>> };
    return doc.paths[op.path][op.method].requestBody?.content['application/json'].example;
  }

  // Names unique to this run, so a run against a shared server never collides with another.
  let serial = 0;
  const runId = `${now().toString(36)}${process.pid.toString(36)}`;

  return {
    settings,
    spec: SPEC,
    redact,
    checkResponse,
    /** A name no other run (nor another call in this one) has used. */
    unique: () => `${runId}${(serial++).toString(36)}`,
    cases,
    skippedNotes,
    coverage,
    /** Registers a suite's cases under its name. */
    suite(name: string, register: () => void): void {
      suite = name;
      register();
      suite = '';
    },
    describe,
    it,
    itWhen,
    skipped,
    call,
    operation,
    cannot,
    can,
    keyOf,
    keyMissing,
    rightRole,
    lackingRoles,
    existingIds,
    createThrowaway,
    exampleBody,
    /** Lets `ms` of the server's time pass: the mock's clock moves (--target mock), else the run waits. */
    async pass(ms: number): Promise<void> {
      if (settings.controlUrl) {
        await transport.send('POST', `${settings.controlUrl}/clock/advance`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ms }), timeoutMs: settings.timeoutMs });
      } else {
        if (ms > settings.deadline - now()) throw new RunStopped('deadline', `waiting ${ms} ms for the server's time to pass would go past the deadline (--max-time)`);
        await sleep(ms);
      }
    },
    /** Forgets cached ids (after a suite that deletes things). */
    forgetIds: () => idCache.clear(),
    /** Holds unless `op` changes state and the key of `role` is live, without --allow-live. */
    changesOk: (op: SpecOperation, role: KeyRole): Precondition => [
      op.method === 'get' || !(keyOf(role)?.startsWith('sk_live_') ?? false) || settings.allowLive,
      `the ${role} key is a live key: pass --allow-live to change live data`,
    ],
    isLive: (key: string | undefined) => key?.startsWith('sk_live_') ?? false,
  };
}

export type Harness = ReturnType<typeof createHarness>;
