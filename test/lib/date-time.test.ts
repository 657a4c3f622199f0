// Every date-time the mock accepts is one Date can hold. Ajv's own date-time format took a
// leap second (23:59:60) and an offset without minutes (+01), which Date.parse turns into
// NaN: a NaN clock answered 500 and switched rate limiting off.
import fc from 'fast-check';
import { fullFormats } from 'ajv-formats/dist/formats';
import request from 'supertest';
import { parseDateTime } from '../../lib/date-time';
import { newAjv } from '../../lib/openapi/precompiled';
import { createClock, ClockRangeError } from '../../mock/clock';
import { KEYS, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';

const ajvDateTime = fullFormats['date-time'] as { validate: (s: string) => boolean };
const ours = newAjv({ strict: false }).compile({ type: 'string', format: 'date-time' });

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** RFC 3339 shaped strings, edges included: :60, Feb 29-31, hour 24, odd offsets, cases. */
const dateTimeLike = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 60 }),
    s: fc.constantFrom(0, 1, 30, 59, 60, 61),
    frac: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,12}$/)),
    sep: fc.constantFrom('T', 't', ' '),
    tz: fc.oneof(fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+01', '+0100', '+23:59', '-24:00', '+05:60'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 })).map(([sg, a, b]) => `${sg}${pad(a)}:${pad(b)}`)),
  })
  .map((p) => `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}${p.sep}${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.frac}${p.tz}`);

describe('date-times', () => {
  it('turns every date-time the validators accept into a finite, whole epoch time (property)', () => {
    fc.assert(
      fc.property(dateTimeLike, (text) => {
        const accepted = ours(text);
        const parsed = parseDateTime(text);
        expect(accepted).toBe(parsed !== undefined);
        if (accepted) {
          expect(Number.isSafeInteger(parsed)).toBe(true);
          expect(Number.isFinite(new Date(parsed!).getTime())).toBe(true);
          // Nothing Ajv's own format refuses gets through.
          expect(ajvDateTime.validate(text)).toBe(true);
        }
      }),
      { numRuns: 20_000, seed: 20261127 },
    );
  });

  it('agrees with Date.parse wherever Date.parse gives a time', () => {
    fc.assert(
      fc.property(dateTimeLike, (text) => {
        const parsed = parseDateTime(text);
        if (parsed !== undefined) expect(parsed).toBe(Date.parse(text.replace(' ', 'T').toUpperCase()));
      }),
      { numRuns: 5_000, seed: 7 },
    );
  });

  it.each(['2026-12-31T23:59:60Z', '2026-02-29T00:00:00Z', '2026-11-01T09:00:00+01', '2026-11-01T24:00:00Z', 'noon'])('refuses %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
    expect(ours(text)).toBe(false);
  });

  it('keeps the clock a finite integer inside its range', () => {
    const clock = createClock({ start: Date.parse('2026-11-01T00:00:00Z') });
    expect(() => clock.set(Number.NaN)).toThrow(ClockRangeError);
    expect(() => clock.set(1.5)).toThrow(ClockRangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(ClockRangeError);
    expect(() => clock.advance(-1)).toThrow(ClockRangeError);
    expect(() => clock.set(Date.parse('9999-06-01T00:00:00Z'))).toThrow(ClockRangeError);
    expect(clock.now()).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(() => createClock({ start: Number.NaN })).toThrow(ClockRangeError);
  });
});

describe('date-times over HTTP', () => {
  const json = { 'Content-Type': 'application/json' };

  it('answers a leap second on the clock with 400 naming "now", and keeps limiting', async () => {
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 2 } } } });
    const before = mock.clock.now();
    const res = await request(mock.handler).put('/_mock/clock').set(json).send({ now: '2026-12-31T23:59:60Z' }).expect(specStatus(400));
    expect(res.body.error.details).toMatchObject({ parameter: 'now', location: 'body' });
    expect(mock.clock.now()).toBe(before);
    const far = await request(mock.handler).put('/_mock/clock').set(json).send({ now: '9999-12-31T23:59:59Z' }).expect(specStatus(400));
    expect(far.body.error.details).toMatchObject({ parameter: 'now', reason: 'clock_out_of_range' });
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    const limited = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(429));
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    expect(limited.headers.date).not.toBe('Invalid Date');
  });

  it('answers a clock advance past its range with 400 naming the field', async () => {
    const mock = testMock();
    await request(mock.handler).put('/_mock/clock').set(json).send({ now: '9998-12-31T00:00:00Z' }).expect(specStatus(200));
    const res = await request(mock.handler).post('/_mock/clock/advance').set(json).send({ seconds: 31_536_000 }).expect(specStatus(400));
    expect(res.body.error.details).toMatchObject({ parameter: 'seconds', reason: 'clock_out_of_range' });
  });

  it('refuses a leap-second expires_at on the control API and the public API, and keeps listing keys', async () => {
    const mock = testMock();
    const control = await request(mock.handler).post('/_mock/keys').set(json).send({ account_id: 'acct_developer', name: 'x', permissions: ['read'], expires_at: '2026-12-31T23:59:60Z' }).expect(specStatus(400));
    expect(control.body.error.details.parameter).toBe('expires_at');
    const api = await request(mock.handler).post('/v1/api-keys').set(bearer(KEYS.admin)).send({ name: 'x', permissions: ['read'], expires_at: '2026-12-31T23:59:60Z' }).expect(specStatus(400));
    expect(api.body.error.details.parameter).toBe('expires_at');
    await request(mock.handler).get('/_mock/keys').expect(specStatus(200));
  });
});
