// Idempotency-Key replay as a wrapper around the handlers whose operation declares it: the
// spec's header parameter with x-cortex-idempotency names the key's header and the header
// that marks a replay, so nothing here names either. The records live in
// resources/idempotency.ts; bindHandlers applies the wrapper.
import { ApiError } from '../../errors/api-error';
import { resolvePointer, type LoadedSpec, type SpecOperation } from '../../../lib/openapi/load-spec';
import { fingerprint, type IdempotencyStore } from '../resources/idempotency';
import type { BoundOperation } from './types';

/** An operation's idempotency key, as its spec declares it. */
export interface IdempotencyDeclaration {
  /** The header parameter that carries the key (`Idempotency-Key`). */
  parameter: string;
  /** The response header that marks a replay (`Idempotent-Replayed`). */
  replayedHeader: string;
}

/** The header parameter of `op` that has x-cortex-idempotency, if one does. */
export function idempotencyOf(spec: LoadedSpec, op: SpecOperation): IdempotencyDeclaration | undefined {
  for (const p of op.parameters) {
    if (p.in !== 'header') continue;
    // The parameter object is where its schema's pointer starts.
    const raw = resolvePointer(spec.document, p.schemaPointer.replace(/\/schema$/, '')) as { 'x-cortex-idempotency'?: { 'replayed-header'?: string } };
    const declared = raw['x-cortex-idempotency'];
    if (!declared) continue;
    if (typeof declared['replayed-header'] !== 'string') throw new Error(`${op.operationId}: x-cortex-idempotency of ${p.name} names no replayed-header`);
    return { parameter: p.name, replayedHeader: declared['replayed-header'] };
  }
  return undefined;
}

/**
 * `call` with Idempotency-Key replay: the first answer to a key is kept, per account and
 * operation, and answered again (marked as a replay) for the same body; another body under
 * the same key is a 409. A request without the key goes straight to `call`.
 */
export function idempotent(call: BoundOperation, op: SpecOperation, declared: IdempotencyDeclaration, store: IdempotencyStore): BoundOperation {
  const replayed = { [declared.replayedHeader]: 'true' };
  return (request) => {
    const key = request.headers[declared.parameter];
    if (key === undefined) return call(request);
    const scope = `${request.principal.account.id}:${op.operationId}`;
    const print = fingerprint(request.body);
    const earlier = store.check(scope, key, print, request.now);
    if (earlier.kind === 'conflict') {
      throw ApiError.conflict('This Idempotency-Key was used with another request body', { reason: 'idempotency_key_reused' });
    }
    if (earlier.kind === 'replay') return { body: earlier.response.body, headers: replayed };
    const result = call(request);
    store.remember(scope, key, print, { status: op.successStatus, body: result.body }, request.now);
    return result;
  };
}
