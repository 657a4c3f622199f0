// Conditional GETs (RFC 9110 section 13.1.2, If-None-Match): a GET's (and HEAD's) 200 carries
// a strong ETag made from its representation, and a request whose If-None-Match matches it is
// answered 304 with no body. The ETag exists only once the operation has run, so the request
// was counted by the rate-limit stage; a 304 gives that count back (as on GitHub's API, a
// conditional request answered 304 costs no budget), in the same synchronous request.
import { hash } from 'node:crypto';
import { after, type Maybe, type RateLimiter } from '../domain/limits/rate-limit';
import { contentHeaders, headerOf, type MockResponse } from '../http/exchange';
import type { Context } from './context';
import type { ContributeRateLimit } from './rate-limit-headers';

/** The status of a conditional GET whose representation the client holds (RFC 9110 section 15.4.5). */
export const NOT_MODIFIED = 304;

/** How many URLs' last representations a mock keeps to skip rehashing an unchanged one. */
const REMEMBERED_URLS = 256;

/** The strong entity-tag of a JSON representation: its SHA-256, base64url, quoted. */
export function entityTagOf(text: string): string {
  return `"${hash('sha256', text, 'base64url')}"`;
}

/**
 * Whether `ifNoneMatch` (the header's value) matches `etag`: `*` matches any current
 * representation; otherwise a comma-separated list of entity-tags, compared weakly (RFC 9110
 * section 8.8.3.2: W/ is ignored on both sides). A member that is not an entity-tag matches nothing.
 */
export function noneMatchHits(ifNoneMatch: string, etag: string): boolean {
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const raw of value.split(',')) {
    let tag = raw.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"') && tag === opaque) return true;
  }
  return false;
}

/**
 * Creates the renderer of a success answer: a GET or HEAD 200 of an operation that documents
 * a 304 gets its ETag, and a 304 when
 * If-None-Match matches it; every other answer is rendered as it is.
 */
export function createConditionalRender(limiter: RateLimiter, contribute: ContributeRateLimit) {
  // The last representation of each URL and its ETag: a poll of an unchanged resource (the
  // case conditional requests exist for) compares the text instead of hashing it again.
  // Bounded; one per mock (no module state), emptied when full.
  const lastOf = new Map<string, { text: string; etag: string }>();
  const etagOf = (url: string, text: string): string => {
    const last = lastOf.get(url);
    if (last !== undefined && last.text === text) return last.etag;
    const etag = entityTagOf(text);
    if (lastOf.size >= REMEMBERED_URLS) lastOf.clear();
    lastOf.set(url, { text, etag });
    return etag;
  };
  return (ctx: Context, status: number, body: unknown): Maybe<MockResponse> | undefined => {
    const method = ctx.req.method;
    // Only an operation whose spec documents a 304 is answered conditionally: the spec says which.
    if (status !== 200 || body === undefined || (method !== 'GET' && method !== 'HEAD') || !ctx.routed?.op.responses[NOT_MODIFIED]) return undefined;
    const text = JSON.stringify(body);
    const etag = etagOf(ctx.req.url, text);
    ctx.headers.set('ETag', etag);
    const ifNoneMatch = headerOf(ctx.req, 'if-none-match');
    // Prefer: code=304 (validation.ts lets it through to here) answers as a match would.
    const hit = ctx.prefs.status === NOT_MODIFIED || (ifNoneMatch !== undefined && noneMatchHits(ifNoneMatch, etag));
    if (!hit) {
      return { status, headers: ctx.headers.merged(undefined, contentHeaders(text)), body: text };
    }
    // RFC 9110 section 15.4.5: no content; ETag, Date, Cache-Control and Vary as a 200 would carry.
    const notModified = (): MockResponse => ({ status: NOT_MODIFIED, headers: ctx.headers.merged(), body: undefined });
    const caller = ctx.caller;
    if (!caller || !ctx.rate?.allowed) return notModified();
    // The rate-limit stage counted this request; a 304 is free: its fields say so.
    return after(limiter.refund(caller.principal.account.id, caller.limit, ctx.now), (rate) => {
      ctx.rate = rate;
      contribute(ctx.headers, rate, caller.plan.id, ctx.now);
      return notModified();
    });
  };
}
