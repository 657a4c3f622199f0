// /_mock/clock: read, set and advance the mock's clock (control.yaml's getClock, setClock,
// advanceClock). A time the clock cannot take is the request's fault: a 400 naming the field.
import type { Router } from 'express';
import { ClockRangeError, type ControllableClock } from '../../clock';
import { ApiError } from '../../errors/api-error';
import { sendJson } from '../../http/render';
import { parseDateTime } from '../../../lib/date-time';
import { schemaOf, type ControlSpec } from './control-spec';
import type { MockCore } from '../../core';

function clockView(clock: ControllableClock) {
  const now = clock.now();
  return { now: new Date(now).toISOString(), epoch_ms: now, frozen: clock.isFrozen() };
}

/** Runs `move`; a ClockRangeError becomes a 400 naming the body field and its schema. */
async function moveClock(field: string, pointer: string, move: () => unknown): Promise<void> {
  try {
    await move();
  } catch (err) {
    if (!(err instanceof ClockRangeError)) throw err;
    throw ApiError.invalidRequest(`Body field "${field}" ${err.message.replace(/^The clock /, 'would take the clock outside its range: it ')}`, { parameter: field, location: 'body', schema_path: pointer, reason: 'clock_out_of_range' });
  }
}

/** Where `clock` would stand once set (ControllableClock.set), found without moving it. */
function positionOnceSet(clock: ControllableClock, epochMs: number, running: boolean) {
  const before = clock.position();
  try {
    clock.set(epochMs, { running });
    return clock.position();
  } finally {
    clock.restore(before);
  }
}

/** Adds the clock's routes to the control router; a move is a mutation, shared with the other instances. */
export function clockRoutes(router: Router, { clock, mutations }: Pick<MockCore, 'clock' | 'mutations'>, spec: ControlSpec): void {
  router.get('/clock', (_req, res) => sendJson(res, 200, clockView(clock)));
  router.put('/clock', async (req, res) => {
    const b = await spec.requiredBody<{ now: string; frozen?: boolean }>(req, 'setClock');
    await moveClock('now', `${schemaOf('ClockSet')}/properties/now`, () => mutations.setClock(positionOnceSet(clock, parseDateTime(b.now)!, b.frozen === false)));
    sendJson(res, 200, clockView(clock));
  });
  router.post('/clock/advance', async (req, res) => {
    const b = await spec.requiredBody<{ ms?: number; seconds?: number }>(req, 'advanceClock');
    const field = b.ms !== undefined ? 'ms' : 'seconds';
    await moveClock(field, `${schemaOf('ClockAdvance')}/properties/${field}`, () => mutations.advanceClock(b.ms ?? Math.round((b.seconds ?? 0) * 1000)));
    sendJson(res, 200, clockView(clock));
  });
}
