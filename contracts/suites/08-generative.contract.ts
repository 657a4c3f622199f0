// The generative phase (--generate): requests built from the spec's schemas by fast-check,
// seeded by --seed, --examples per operation. Per operation:
//   positive_data_acceptance  valid requests get a documented status, never a 400 or a 5xx,
//                             and a body and headers that conform (not_a_server_error,
//                             status_code_conformance, response_schema_conformance);
//   negative_data_rejection   a request that breaks one rule gets a 400 whose details name
//                             the parameter or field that broke;
//   ignored_auth              no key, and each refused kind of key, gets exactly the
//                             documented 401 with its reason.
// A failure is shrunk by fast-check to the smallest request that still fails, and reported
// with the seed and a curl command that reproduces it.
import fc from 'fast-check';
import type { SpecOperation } from '../../lib/openapi/load-spec';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { ContractViolation, expectAuthError } from '../lib/checks';
import { curlOf, validRequests, violations, type GeneratedRequest } from '../lib/generate';
import { RunStopped, withArticle, type Harness, type Precondition, type Role } from '../lib/harness';
import { KEY_ENV } from '../lib/settings';

/** A seed per operation and phase, from the run's seed: one operation's cases never shift another's. */
function seedFor(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}

const describeRequest = (op: SpecOperation, r: GeneratedRequest) => {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(r.params[name] ?? ''));
  const qs = new URLSearchParams(r.query).toString();
  return `${op.method.toUpperCase()} ${path}${qs ? `?${qs}` : ''}${Object.keys(r.headers).length ? ` ${JSON.stringify(r.headers)}` : ''}${r.body !== undefined ? ` ${JSON.stringify(r.body)}` : ''}`;
};

export function register(h: Harness): void {
  const { settings } = h;
  if (!settings.generate) return;
  const { seed, examples } = settings.generate;
  const validator = createSchemaValidator(h.spec.document);
  const writesOk = (op: SpecOperation): Precondition => [op.method === 'get' || settings.allowWrites, 'a mutating operation: pass --allow-writes'];
  const cannotDo = h.can;

  /** Sends a generated request with the role's key (or none). */
  const send = (op: SpecOperation, r: GeneratedRequest, key: string | undefined, auth: string) =>
    h.call(op, { key, auth, params: r.params, query: r.query, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}), unchecked: true });

  /** Ids for the path: throwaway resources for changes (so no fixture key is revoked), live ones for reads. */
  async function idsFor(op: SpecOperation): Promise<Record<string, string>> {
    if (op.method === 'get') {
      const ids = await h.existingIds(op);
      if (typeof ids === 'string') throw new Error(`[fixture] cannot build a request: ${ids}`);
      return ids;
    }
    const ids: Record<string, string> = {};
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const created = await h.createThrowaway(p.name);
      if (!created) throw new Error(`[fixture] cannot make a ${p.name} to change: the create was refused`);
      ids[p.name] = created;
    }
    return ids;
  }

  /** Runs a fast-check property; a failure is reported shrunk, with the seed and a curl. */
  async function property(op: SpecOperation, phase: string, role: Role, arb: fc.Arbitrary<GeneratedRequest>, predicate: (r: GeneratedRequest) => Promise<void>) {
    const phaseSeed = seedFor(seed, `${op.operationId}:${phase}`);
    const out = await fc.check(fc.asyncProperty(arb, predicate), { seed: phaseSeed, numRuns: examples, endOnFailure: false });
    if (!out.failed) return;
    const smallest = out.counterexample?.[0] as GeneratedRequest | undefined;
    const cause = out.errorInstance as Error | undefined;
    // A stop (deadline, budget, unreachable server) is the run's, not this property's: the
    // runner names it once and lists what is left as not run.
    if (cause instanceof RunStopped) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const check = /^\[([a-z0-9_-]+)\]/.exec(reason)?.[1] ?? 'positive_data_acceptance';
    const request = smallest ? describeRequest(op, smallest) : '(none)';
    const curl = smallest ? curlOf(settings.baseUrl, op, smallest, KEY_ENV[role]) : '';
    throw new Error(`[${check}] ${op.operationId}: ${reason.replace(/^\[[a-z0-9_-]+\] /, '')}\n  smallest failing request (seed ${seed}, run ${phaseSeed} after ${out.numShrinks} shrinks): ${request}\n  reproduce: ${curl}`);
  }

  for (const op of h.spec.operations) {
    h.describe(`generated ${op.operationId}`, () => {
      const role = h.rightRole(op);
      // Changes need throwaway resources, made with the write or admin key: none of them live.
      const pre = [writesOk(op), h.keyMissing(role), h.changesOk(op, role), ...(op.parameters.some((p) => p.in === 'path') ? [h.changesOk(op, 'admin'), h.changesOk(op, 'write')] : [])];
      const isValidBody = (v: unknown) => !op.requestBody || validator.validate(op.requestBody.schemaPointer, v).length === 0;

      h.itWhen(pre)(`positive_data_acceptance: ${examples} valid requests get a documented status, never a 400 or a 5xx, and conform`, async () => {
        const ids = await idsFor(op);
        await property(op, 'positive', role, validRequests(h.spec, op, ids, isValidBody), async (r) => {
          const res = await send(op, r, h.keyOf(role), 'generated');
          if (res.status >= 500) throw new ContractViolation('not_a_server_error', op, res, `a valid request got ${res.status}: ${res.text.slice(0, 200)}`);
          if (res.status === 400) throw new ContractViolation('positive_data_acceptance', op, res, `a valid request was refused: ${res.text.slice(0, 300)}`);
          rename(() => h.checkResponse(op, res, { clock: h.cannot('rate-limits') === undefined }));
        });
      });

      h.itWhen([...pre, cannotDo('validation')])('negative_data_rejection: every request that breaks one rule gets a 400 naming what broke', async () => {
        const ids = await idsFor(op);
        // The smallest valid request fast-check makes is the base: each case breaks one rule of it.
        const [base] = fc.sample(validRequests(h.spec, op, ids, isValidBody), { seed: seedFor(seed, `${op.operationId}:base`), numRuns: 1 });
        const failures: string[] = [];
        for (const v of violations(h.spec, op, base)) {
          const res = await send(op, v.request, h.keyOf(role), 'generated-invalid');
          const named = String((res.body as { error?: { details?: { parameter?: string } } })?.error?.details?.parameter ?? '');
          const problem =
            res.status !== 400 ? `expected 400, got ${res.status}: ${res.text.slice(0, 160)}` : named !== v.names && !named.startsWith(`${v.names}.`) ? `the 400 names "${named}", not "${v.names}"` : undefined;
          if (problem) failures.push(`${v.rule}: ${problem}\n  request (seed ${seed}): ${describeRequest(op, v.request)}\n  reproduce: ${curlOf(settings.baseUrl, op, v.request, KEY_ENV[role])}`);
          else rename(() => h.checkResponse(op, res, { clock: h.cannot('rate-limits') === undefined }));
        }
        if (failures.length) throw new Error(`[negative_data_rejection] ${op.operationId}: ${failures.length} invalid request(s) not refused as they should be; the first:\n  ${failures[0]}`);
      });

      h.itWhen([writesOk(op)])('ignored_auth: no key, and each refused kind of key, gets exactly the documented 401', async () => {
        const ids = op.parameters.some((p) => p.in === 'path') ? await h.existingIds(op) : {};
        const [base] = fc.sample(validRequests(h.spec, op, typeof ids === 'string' ? {} : ids, isValidBody), { seed: seedFor(seed, `${op.operationId}:auth`), numRuns: 1 });
        const kinds: Array<[string, string | undefined]> = [['missing', undefined]];
        if (!h.cannot('key-validity')) {
          kinds.push(['malformed', 'sk_test_short'], ['unknown', `sk_test_${'0'.repeat(30)}generated`]);
          if (settings.keys.expired) kinds.push(['expired', settings.keys.expired]);
          if (settings.keys.revoked) kinds.push(['revoked', settings.keys.revoked]);
        }
        for (const [reason, key] of kinds) {
          const res = await send(op, base, key, reason === 'missing' ? 'none' : reason);
          if (res.status !== 401) throw new ContractViolation('ignored_auth', op, res, `${withArticle(reason)} key got ${res.status}, not 401\n  reproduce: ${curlOf(settings.baseUrl, op, base, key ? 'A_REFUSED_KEY' : undefined)}`);
          if (!h.cannot('auth-details')) rename(() => expectAuthError(op, res, { status: 401, reason, presented: reason !== 'missing' }));
        }
      });
    });
  }
}

/** Runs the universal checks, naming failures as the generative phase's checks are named. */
function rename(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof ContractViolation)) throw err;
    const check = err.check === 'status-documented' ? 'status_code_conformance' : err.check === 'body-schema' ? 'response_schema_conformance' : err.check;
    throw new Error(`[${check}] ${err.message.replace(/^\[[a-z0-9_-]+\] /, '')}`);
  }
}

