// Ids for the path parameters of an operation, found through the spec's links
// (contracts/lib/links.ts): an existing one read once per run from the list that links to
// the parameter, or a new resource made by the create that links to it, so no fixture is
// changed or deleted.
import type { LoadedSpec, SpecOperation } from '../../lib/openapi/load-spec';
import type { HttpResponse } from './http';
import { evaluate, firstItems, sourcesOf, throwawayBody } from './links';
import { rightRole } from './roles';
import type { Capability, KeyRole } from './settings';

export interface IdContext {
  spec: LoadedSpec;
  /** The harness's call: sent, checked and recorded for the coverage matrix. */
  call: (op: SpecOperation, options: { key?: string; auth: string; query?: Record<string, string>; body?: unknown; unchecked?: boolean }) => Promise<HttpResponse>;
  keyOf: (role: KeyRole) => string | undefined;
  cannot: (capability: Capability) => string | undefined;
}

export function createIdSource({ spec, call, keyOf, cannot }: IdContext) {
  /** Ids read once per run from the list operations (saves budget on a real server). */
  const idCache = new Map<string, string>();

  /** An existing id for each path parameter of `op`, read once per run from the list operations. */
  async function existingIds(op: SpecOperation): Promise<Record<string, string> | string> {
    const params: Record<string, string> = {};
    for (const p of op.parameters.filter((x) => x.in === 'path')) {
      const cached = idCache.get(p.name);
      if (cached) {
        params[p.name] = cached;
        continue;
      }
      const source = sourcesOf(spec, p.name).read;
      if (!source) return `no list operation gives a ${p.name}`;
      const list = source.operation;
      const role = rightRole(list);
      const key = keyOf(role);
      if (!key) return `${list.operationId} needs the ${role} key`;
      const res = await call(list, { key, auth: 'valid', query: firstItems(list, 1) });
      const first = evaluate(source.expression, res.body);
      if (!first) return `${list.operationId} returned no item to read`;
      // Prism makes up its data; a real server's first item is stable for a read-only run.
      if (cannot('state') === undefined) idCache.set(p.name, first);
      params[p.name] = first;
    }
    return params;
  }

  let throwaways = 0;
  /** A new resource to change or delete, so no fixture is touched: its id, or undefined when refused. */
  async function createThrowaway(param: string): Promise<string | undefined> {
    const source = sourcesOf(spec, param).create;
    if (!source) return undefined;
    const create = source.operation;
    const key = keyOf(rightRole(create));
    if (!key) return undefined;
    const n = `${Date.now().toString(36)}${(throwaways++).toString(36)}`;
    const res = await call(create, { key, auth: 'valid', body: throwawayBody(spec, create, n), unchecked: true });
    return res.status === create.successStatus ? evaluate(source.expression, res.body) : undefined;
  }

  return {
    existingIds,
    createThrowaway,
    /** Forgets cached ids (after a suite that deletes things). */
    forgetIds: () => idCache.clear(),
  };
}
