// The IETF RateLimit-Policy and RateLimit fields, parsed with structured-headers (RFC 9651,
// a parser this project did not write), agree with the X-RateLimit-* figures they come from
// and match the headers the spec documents.
// structured-headers 2 (RFC 9651) names its types only in package.json "exports", which the
// project's moduleResolution (node) does not read: the types come from its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseList, Token } = require('structured-headers') as typeof import('../../node_modules/structured-headers/cjs/index.cjs');
import { ietfRateLimitHeaders, rateLimitField, rateLimitPolicyField, retryAfterNotBefore, secondsToReset, type RateLimitFigures } from '../../mock/domain/limits/ietf-headers';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { SPEC } from '../helpers/fixtures';

const NOW = Date.parse('2026-11-01T09:00:30.250Z');
const nowSeconds = Math.floor(NOW / 1000);
const DEVELOPER: RateLimitFigures = { plan: 'developer', limit: 500, remaining: 499, reset: nowSeconds + 30, windowSeconds: 60 };
const validator = createSchemaValidator(SPEC.document);

/** The one Item of a List field: its bare value and its parameters. */
function onlyItem(field: string): [unknown, Record<string, unknown>] {
  const list = parseList(field);
  expect(list).toHaveLength(1);
  const [value, params] = list[0] as [unknown, Map<string, unknown>];
  return [value, Object.fromEntries(params)];
}

describe('the IETF rate-limit fields', () => {
  it('formats RateLimit-Policy as a List of one String item with q and w', () => {
    expect(rateLimitPolicyField(DEVELOPER)).toBe('"developer";q=500;w=60');
    expect(onlyItem(rateLimitPolicyField(DEVELOPER))).toEqual(['developer', { q: 500, w: 60 }]);
  });

  it('formats RateLimit as a List of one String item with r and t', () => {
    expect(rateLimitField(DEVELOPER, NOW)).toBe('"developer";r=499;t=30');
    const [value, params] = onlyItem(rateLimitField(DEVELOPER, NOW));
    expect(value).toBe('developer');
    expect(value).not.toBeInstanceOf(Token);
    expect(params).toEqual({ r: 499, t: 30 });
  });

  it('agrees with the X- form: same policy name, q = Limit, r = Remaining, now + t = Reset', () => {
    const figures = { plan: 'vibe_coder', limit: 100, remaining: 3, reset: nowSeconds + 17, windowSeconds: 60 };
    const headers = ietfRateLimitHeaders(figures, NOW);
    const [policyName, policy] = onlyItem(headers['RateLimit-Policy']);
    const [limitName, limit] = onlyItem(headers.RateLimit);
    expect(limitName).toBe(policyName);
    expect(policy.q).toBe(figures.limit);
    expect(policy.w).toBe(figures.windowSeconds);
    expect(limit.r).toBe(figures.remaining);
    expect(nowSeconds + (limit.t as number)).toBe(figures.reset);
  });

  it('keeps t within 0..w and r at 0 or more, whatever the figures', () => {
    expect(secondsToReset({ ...DEVELOPER, reset: nowSeconds - 5 }, NOW)).toBe(0);
    expect(secondsToReset({ ...DEVELOPER, reset: nowSeconds + 500 }, NOW)).toBe(60);
    expect(onlyItem(rateLimitField({ ...DEVELOPER, remaining: -1 }, NOW))[1]).toEqual({ r: 0, t: 30 });
  });

  it('never lets a 429 say Retry-After earlier than t', () => {
    expect(retryAfterNotBefore(0, DEVELOPER, NOW)).toBe(30);
    expect(retryAfterNotBefore(30, DEVELOPER, NOW)).toBe(30);
    expect(retryAfterNotBefore(120, DEVELOPER, NOW)).toBe(120);
  });

  it('escapes what a String must escape, and refuses what a String cannot hold', () => {
    const odd = { ...DEVELOPER, plan: 'a"b\\c' };
    expect(onlyItem(rateLimitPolicyField(odd))[0]).toBe('a"b\\c');
    expect(() => rateLimitPolicyField({ ...DEVELOPER, plan: 'plan\u00e9' })).toThrow(RangeError);
    expect(() => rateLimitPolicyField({ ...DEVELOPER, limit: 1.5 })).toThrow(RangeError);
  });

  it.each([
    ['RateLimitPolicy', rateLimitPolicyField(DEVELOPER)],
    ['RateLimit', rateLimitField(DEVELOPER, NOW)],
  ])('gives values the spec documents as components/headers/%s', (name, value) => {
    expect(validator.validate(`#/components/headers/${name}/schema`, value)).toEqual([]);
    // RFC 9651 allows spaces after ';' (express-rate-limit's draft-8 output has them); the
    // draft-07 form, a bare integer with no policy name, is not this syntax.
    expect(validator.validate(`#/components/headers/${name}/schema`, value.replace(/;/g, '; '))).toEqual([]);
    expect(validator.validate(`#/components/headers/${name}/schema`, '500;w=60')).not.toEqual([]);
  });

  it('documents every plan of the spec as a policy name the fields can carry', () => {
    for (const plan of SPEC.plans) {
      const value = rateLimitPolicyField({ ...DEVELOPER, plan: plan.id });
      expect(validator.validate('#/components/headers/RateLimitPolicy/schema', value)).toEqual([]);
    }
  });
});
