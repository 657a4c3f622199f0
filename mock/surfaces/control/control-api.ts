// The control API under /_mock (openapi/control.yaml): reset, clock, keys, accounts and the
// request journal. Local only; it needs no API key and is never part of the public spec.
// Any web page its user visits can send requests to it, so control-guard.ts admits only
// same-origin requests, JSON bodies, and the control token when one is set. Which
// operations take a body, and whether it is required, is control.yaml's to say.
import { Router, type Request, type Response } from 'express';
import type { MockCore as Mock } from '../../core';
import { ClockRangeError, type ControllableClock } from '../../clock';
import { modeOf, type KeyRecord } from '../../domain/auth/key-store';
import { mockKeyState, revokeKey, rotateKey } from '../../domain/auth/key-lifecycle';
import { keyView } from '../../domain/auth/key-view';
import type { MockConfig } from '../../config/config';
import { ApiError } from '../../errors/api-error';
import { readJsonBody } from '../../http/body';
import { fromIncoming } from '../../http/incoming';
import { sendJson } from '../../http/render';
import { failureToError } from '../../stages/invalid';
import { CONTROL_SPEC_PATH, HTTP_METHODS, PUBLIC_SPEC_PATH, deref, pointerSegment, readSpecFile } from '../../../lib/openapi/load-spec';
import { bundleControlSpec } from '../../../lib/openapi/bundle';
import { createSchemaValidator, type SchemaValidator } from '../../../lib/openapi/schema-validator';
import { parseDateTime } from '../../../lib/date-time';
import { paginate } from '../../domain/resources/pagination';
import { createControlGuard } from './control-guard';

/** What the control API drives: the mock's handles (its token, when set, is required). */
export type ControlDeps = Pick<Mock, 'clock' | 'state' | 'journal' | 'config' | 'controlToken' | 'reset' | 'spec' | 'limiter' | 'plans'>;

const schemaOf = (name: string) => `#/components/schemas/${name}`;

interface RequestBody {
  required: boolean;
  /** Where its JSON schema is: the component it names, or the inline schema's place. */
  pointer: string;
}

interface QueryParameter {
  name: string;
  /** Where its schema is, to validate against and to name in a 400. */
  pointer: string;
  type?: string;
  default?: unknown;
}

/** Each control operation's query parameters, by operationId, as control.yaml declares them. */
function queryParameters(doc: Record<string, unknown>): Map<string, QueryParameter[]> {
  const table = new Map<string, QueryParameter[]>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; parameters?: unknown[] }>>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      const params = (op.parameters ?? []).map((raw, i) => deref<{ name: string; in: string; schema: { type?: string; default?: unknown } }>(doc, raw, `#/paths/${pointerSegment(path)}/${method}/parameters/${i}`));
      table.set(
        op.operationId,
        params.filter((p) => p.value.in === 'query').map((p) => ({ name: p.value.name, pointer: `${p.pointer}/schema`, type: p.value.schema.type, default: p.value.schema.default })),
      );
    }
  }
  return table;
}

/** Each control operation's request body, by operationId, as control.yaml declares it. */
function requestBodies(doc: Record<string, unknown>): Map<string, RequestBody> {
  const bodies = new Map<string, RequestBody>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> } }>>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId || !op.requestBody) continue;
      const schema = op.requestBody.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${CONTROL_SPEC_PATH}: ${op.operationId} takes a body that is not application/json`);
      const pointer = schema.$ref?.startsWith('#/') ? schema.$ref : `#/paths/${pointerSegment(path)}/${method}/requestBody/content/application~1json/schema`;
      bodies.set(op.operationId, { required: op.requestBody.required === true, pointer });
    }
  }
  return bodies;
}

function clockView(clock: ControllableClock) {
  const now = clock.now();
  return { now: new Date(now).toISOString(), epoch_ms: now, frozen: clock.isFrozen() };
}

/** The /_mock router. */
export function createControlRouter(deps: ControlDeps): Router {
  const { clock, state, journal, config } = deps;
  const basePath = deps.spec.basePath;
  // The only secrets the control API lists: the public fixtures of the default config.
  const shownSecrets = new Map(config.keys.flatMap((k) => (k.well_known_secret ? [[k.id, k.well_known_secret] as const] : [])));
  // The control spec, read and compiled on first use: a mock that is never controlled
  // never pays for it.
  let control: { validator: SchemaValidator; maxBodyBytes: number; bodies: Map<string, RequestBody>; queries: Map<string, QueryParameter[]> } | undefined;
  const controlSpec = () => {
    if (!control) {
      const doc = readSpecFile(CONTROL_SPEC_PATH);
      const limits = doc['x-cortex-limits'] as { max_body_bytes?: number } | undefined;
      if (typeof limits?.max_body_bytes !== 'number') throw new Error(`${CONTROL_SPEC_PATH}: x-cortex-limits.max_body_bytes is missing`);
      control = { validator: createSchemaValidator(doc, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) }), maxBodyBytes: limits.max_body_bytes, bodies: requestBodies(doc), queries: queryParameters(doc) };
    }
    return control;
  };

  /** The operation's body as control.yaml declares it: read, validated, or absent when it may be. */
  async function body<T>(req: Request, operationId: string): Promise<T | undefined> {
    const { validator, maxBodyBytes, bodies } = controlSpec();
    const declared = bodies.get(operationId);
    if (!declared) throw new Error(`${CONTROL_SPEC_PATH}: ${operationId} declares no request body`);
    const value = await readJsonBody(fromIncoming(req), maxBodyBytes, declared.required, declared.pointer);
    if (value === undefined) return undefined;
    const failures = validator.validate(declared.pointer, value);
    if (failures.length > 0) throw failureToError('body', 'body', failures[0]);
    return value as T;
  }
  /** The operation's query parameters as control.yaml declares them: coerced, defaulted, validated. */
  function query<T>(req: Request, operationId: string): T & { pointers: Record<string, string> } {
    const { validator, queries } = controlSpec();
    const sent = new URLSearchParams(req.url.split('?')[1] ?? '');
    const values: Record<string, unknown> = {};
    const pointers: Record<string, string> = {};
    for (const param of queries.get(operationId) ?? []) {
      pointers[param.name] = param.pointer;
      const raw = sent.get(param.name);
      if (raw === null) {
        if (param.default !== undefined) values[param.name] = param.default;
        continue;
      }
      const value = param.type === 'integer' && /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
      const failures = validator.validate(param.pointer, value);
      if (failures.length > 0) throw failureToError('query', param.name, failures[0]);
      values[param.name] = value;
    }
    return { ...(values as T), pointers };
  }

  /** The same, for an operation whose body is required. */
  const requiredBody = async <T>(req: Request, operationId: string): Promise<T> => (await body<T>(req, operationId))!;

  /** The control API's MockKey: the API's view of the key, with the fixture's secret and the mock's state. */
  function mockKeyView(key: KeyRecord, secret?: string) {
    const now = clock.now();
    const view = keyView(key, state.keys, now);
    return {
      id: view.id,
      name: view.name,
      key: secret ?? shownSecrets.get(key.id) ?? null,
      masked: `${deps.spec.vocabulary.keyModes[view.mode]}…${view.last4}`,
      permissions: view.permissions,
      plan: view.plan,
      account_id: view.account_id,
      mode: view.mode,
      state: mockKeyState(key, state.keys, now, config.allow_live_keys),
      expires_at: view.expires_at,
      created_at: view.created_at,
      last_used_at: key.lastUsedAt === undefined ? null : new Date(key.lastUsedAt).toISOString(),
    };
  }

  // A time the clock cannot take is the request's fault: 400 naming the field.
  const moveClock = (field: string, pointer: string, move: () => void) => {
    try {
      move();
    } catch (err) {
      if (!(err instanceof ClockRangeError)) throw err;
      throw ApiError.invalidRequest(`Body field "${field}" ${err.message.replace(/^The clock /, 'would take the clock outside its range: it ')}`, { parameter: field, location: 'body', schema_path: pointer, reason: 'clock_out_of_range' });
    }
  };

  const router = Router();
  router.use(createControlGuard({ controlToken: deps.controlToken }));
  // The control API describes itself: its spec, bundled so it stands alone, and an index.
  let bundled: { json: string; yaml: string; index: unknown } | undefined;
  const described = () => {
    if (!bundled) {
      const doc = bundleControlSpec(readSpecFile(CONTROL_SPEC_PATH), readSpecFile(PUBLIC_SPEC_PATH));
      const { dump } = require('js-yaml') as typeof import('js-yaml');
      const endpoints = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; summary?: string }>>).flatMap(([path, item]) =>
        HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path: `/_mock${path === '/' ? '' : path}`, operation_id: item[m].operationId, summary: item[m].summary })),
      );
      bundled = {
        json: JSON.stringify(doc),
        yaml: dump(doc, { lineWidth: 100, noRefs: true }),
        index: {
          name: 'cortex-edr-mock control API',
          description: 'Drives the mock from tests: reset, clock, keys, accounts, the request journal. Bodies are application/json; a change without one needs no Content-Type.',
          spec: {},
          docs: '/docs/?urls.primaryName=Mock%20control%20API%20(%2F_mock)',
          api: {},
          endpoints,
        },
      };
    }
    return bundled;
  };
  // The index names its links relative to where the control API is mounted.
  router.get('/', (req, res) => {
    const index = described().index as { spec: object; docs: string; api: object; endpoints: Array<{ path: string }> };
    const root = req.baseUrl.replace(/\/_mock$/, '');
    sendJson(res, 200, {
      ...index,
      spec: { json: `${root}/_mock/openapi.json`, yaml: `${root}/_mock/openapi.yaml` },
      docs: `${root}${index.docs}`,
      api: { base: `${root}${basePath}`, spec: `${root}/openapi.json` },
      endpoints: index.endpoints.map((e) => ({ ...e, path: `${root}${e.path}` })),
    });
  });
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(described().json);
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.setHeader('Content-Type', 'application/yaml; charset=utf-8');
    res.end(described().yaml);
  });
  router.post('/reset', (_req, res) => {
    deps.reset();
    sendJson(res, 204, undefined);
  });
  router.get('/clock', (_req, res) => sendJson(res, 200, clockView(clock)));
  router.put('/clock', async (req, res) => {
    const b = await requiredBody<{ now: string; frozen?: boolean }>(req, 'setClock');
    moveClock('now', `${schemaOf('ClockSet')}/properties/now`, () => clock.set(parseDateTime(b.now)!, { running: b.frozen === false }));
    sendJson(res, 200, clockView(clock));
  });
  router.post('/clock/advance', async (req, res) => {
    const b = await requiredBody<{ ms?: number; seconds?: number }>(req, 'advanceClock');
    const field = b.ms !== undefined ? 'ms' : 'seconds';
    moveClock(field, `${schemaOf('ClockAdvance')}/properties/${field}`, () => clock.advance(b.ms ?? Math.round((b.seconds ?? 0) * 1000)));
    sendJson(res, 200, clockView(clock));
  });
  router.get('/keys', (_req, res) => {
    const keys = state.keys.accounts().flatMap((a) => state.keys.keysOf(a.id));
    sendJson(res, 200, { data: keys.map((k) => mockKeyView(k)) });
  });
  router.post('/keys', async (req, res) => {
    const b = await requiredBody<{ id?: string; account_id: string; name: string; permissions: string[]; secret?: string; mode?: 'test' | 'live'; expires_at?: string | null; status?: 'active' | 'revoked' }>(req, 'addMockKey');
    if (!state.keys.getAccount(b.account_id)) {
      throw ApiError.invalidRequest('Body field "account_id" names no account', { parameter: 'account_id', location: 'body', schema_path: `${schemaOf('MockKeyCreate')}/properties/account_id` });
    }
    // The secret's prefix tells its mode (ApiKeySecret); a mode that says otherwise is a
    // mistake to name, not one to paper over by storing a key of the other mode.
    const keyModes = deps.spec.vocabulary.keyModes;
    if (b.secret !== undefined && b.mode !== undefined && modeOf(b.secret, keyModes) !== b.mode) {
      throw ApiError.invalidRequest(`Body field "mode" is ${b.mode}, but the secret is a ${modeOf(b.secret, keyModes)} key (${keyModes[modeOf(b.secret, keyModes)]}...); leave "mode" out or make them agree`, {
        parameter: 'mode',
        location: 'body',
        schema_path: `${schemaOf('MockKeyCreate')}/properties/mode`,
        reason: 'mode_mismatch',
      });
    }
    // The same cap as POST /v1/api-keys (max_keys_per_account).
    if (state.keys.keysOf(b.account_id).length >= state.limits.keysPerAccount) {
      throw ApiError.conflict(`The account has ${state.limits.keysPerAccount} API keys, the most this mock keeps`, { reason: 'limit_reached', resource: 'api_key' });
    }
    // A conflict names the key that holds the secret, and draws no id from the seeded
    // sequence: a refused call leaves the next key's id as it would have been.
    const holder = b.secret === undefined ? undefined : state.keys.keyWithSecret(b.secret);
    if (holder !== undefined) throw ApiError.conflict(`The key ${holder} has that secret`, { reason: 'already_exists', resource: 'api_key', id: holder });
    if (b.id !== undefined && state.keys.getKey(b.id)) throw ApiError.conflict(`A key with id ${b.id} exists`, { reason: 'already_exists', resource: 'api_key', id: b.id });
    const id = b.id ?? state.ids.next('api_key');
    // A drawn id that a key added under its own id already took.
    if (b.id === undefined && state.keys.getKey(id)) throw ApiError.conflict(`A key with id ${id} exists`, { reason: 'already_exists', resource: 'api_key', id });
    // A generated secret comes from crypto (never one a key has).
    const secret = b.secret ?? state.ids.secret(b.mode ?? 'test');
    const key: KeyRecord = {
      id,
      name: b.name,
      accountId: b.account_id,
      permissions: [...b.permissions],
      mode: modeOf(secret, keyModes),
      createdAt: clock.now(),
      expiresAt: b.expires_at ? parseDateTime(b.expires_at)! : null,
      revoked: b.status === 'revoked',
      last4: secret.slice(-4),
    };
    state.keys.addKey(key, secret);
    // The secret is in this response only; after it the mock holds just its hash.
    sendJson(res, 201, mockKeyView(key, secret));
  });
  const findKey = (id: string) => {
    const key = state.keys.getKey(id);
    if (!key) throw ApiError.notFound('api_key', id);
    return key;
  };
  router.post('/keys/:key_id/rotate', async (req, res) => {
    const b = await requiredBody<{ grace_seconds: number }>(req, 'rotateMockKey');
    const key = findKey(String(req.params.key_id));
    const now = clock.now();
    const secret = rotateKey(state.keys, state.ids, key, now, now + b.grace_seconds * 1000);
    // A rotated fixture's old secret is no longer the one to show.
    shownSecrets.delete(key.id);
    sendJson(res, 200, mockKeyView(key, secret));
  });
  router.post('/keys/:key_id/revoke', async (req, res) => {
    await body<Record<string, never>>(req, 'revokeMockKey');
    const key = findKey(String(req.params.key_id));
    revokeKey(state.keys, key);
    sendJson(res, 200, mockKeyView(key));
  });
  // Per account, a page at a time (the mock keeps up to max_accounts): the plan's limit and
  // what remains (the limiter, not consumed), and the recent windows counted from the
  // journal in one pass for the page's accounts.
  router.get('/usage', (req: Request, res: Response) => {
    const q = query<{ windows: number; limit: number; cursor?: string }>(req, 'getMockUsage');
    const now = clock.now();
    const page = paginate(state.keys.accounts(), q.limit, q.cursor, (account) => account, q.pointers.cursor, 'getMockUsage');
    const rows = page.data.map((account) => {
      const plan = deps.plans.get(account.plan)!;
      const rate = deps.limiter.peek(account.id, { limit: plan.requests_per_window, windowSeconds: plan.window_seconds }, now);
      const windowMs = plan.window_seconds * 1000;
      const currentStart = rate.reset * 1000 - windowMs;
      const windows = Array.from({ length: q.windows }, (_, i) => ({ start: currentStart - (q.windows - 1 - i) * windowMs, requests: 0, limited: 0 }));
      return { account, plan, rate, windowMs, windows };
    });
    const byAccount = new Map(rows.map((row) => [row.account.id, row]));
    for (const e of journal.list()) {
      const row = e.account_id === null ? undefined : byAccount.get(e.account_id);
      if (!row) continue;
      const i = Math.floor((Date.parse(e.at) - row.windows[0].start) / row.windowMs);
      if (i < 0 || i >= q.windows) continue;
      row.windows[i].requests++;
      if (e.status === 429) row.windows[i].limited++;
    }
    const data = rows.map(({ account, plan, rate, windows }) => ({
      account_id: account.id,
      name: account.name,
      plan: account.plan,
      limit: rate.limit,
      window_seconds: plan.window_seconds,
      remaining: rate.remaining,
      reset: rate.reset,
      windows: windows.map((w) => ({ ...w, start: new Date(w.start).toISOString() })),
    }));
    sendJson(res, 200, { now: new Date(now).toISOString(), data, has_more: page.has_more, next_cursor: page.next_cursor });
  });
  router.post('/accounts', async (req, res) => {
    const b = await requiredBody<{ id: string; name: string; plan: string }>(req, 'addMockAccount');
    if (state.keys.getAccount(b.id)) throw ApiError.conflict(`An account with id ${b.id} exists`, { reason: 'already_exists', resource: 'account', id: b.id });
    // Accounts have a cap of their own (config max_accounts), as users and keys do.
    if (state.keys.accounts().length >= config.max_accounts) {
      throw ApiError.conflict(`The mock has ${config.max_accounts} accounts, the most it keeps`, { reason: 'limit_reached', resource: 'account' });
    }
    state.keys.addAccount({ ...b });
    sendJson(res, 201, b);
  });
  router.get('/journal', (req: Request, res: Response) => {
    sendJson(res, 200, { data: journal.list(query<{ limit: number }>(req, 'getJournal').limit) });
  });
  router.delete('/journal', (_req, res) => {
    journal.clear();
    sendJson(res, 204, undefined);
  });
  return router;
}
