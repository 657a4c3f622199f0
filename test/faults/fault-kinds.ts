// What each fault kind does to a listScans the read key sends, as a client on a real socket
// sees it, and whether the kind spends budget: shared by the node:http and Express tests.
import { expectResponse } from '../helpers/expect-response';
import type { FaultRuleInput } from '../../mock/domain/faults';
import { json, type Received } from './fault-client';

/** What each kind does to a listScans the read key sends, and whether it spends budget. */
export const KINDS: Array<{ kind: string; fault: FaultRuleInput['fault']; budget: 'consumes' | 'free'; saw: (r: Received) => void }> = [
  {
    kind: 'status',
    fault: { kind: 'status', status: 503, retry_after: 2 },
    budget: 'consumes',
    saw: (r) => {
      expectResponse({ status: r.status!, headers: r.headers, body: json(r) }, 503, 'listScans');
      expect(r.headers?.['retry-after']).toBe('2');
    },
  },
  {
    kind: 'rate_limit',
    fault: { kind: 'rate_limit' },
    budget: 'free',
    saw: (r) => {
      expectResponse({ status: r.status!, headers: r.headers, body: json(r) }, 429, 'listScans');
      expect(Number(r.headers?.['retry-after'])).toBeGreaterThan(0);
      expect(r.headers?.['x-ratelimit-remaining']).toBe('0');
    },
  },
  {
    kind: 'latency',
    fault: { kind: 'latency', ms: 20 },
    budget: 'consumes',
    saw: (r) => expectResponse({ status: r.status!, headers: r.headers, body: json(r) }, 200, 'listScans'),
  },
  {
    kind: 'reset',
    fault: { kind: 'reset' },
    budget: 'free',
    // An RST: Node reads ECONNRESET, not the 'socket hang up' of a FIN.
    saw: (r) => {
      expect(r.status).toBeUndefined();
      expect(r.error).toEqual({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    },
  },
  {
    kind: 'close',
    fault: { kind: 'close' },
    budget: 'free',
    saw: (r) => {
      expect(r.status).toBeUndefined();
      expect(r.error).toEqual({ code: 'ECONNRESET', message: 'socket hang up' });
    },
  },
  {
    kind: 'hang',
    fault: { kind: 'hang', ms: 30 },
    budget: 'consumes',
    saw: (r) => {
      expect(r.status).toBeUndefined();
      expect(r.error).toEqual({ code: 'ECONNRESET', message: 'socket hang up' });
    },
  },
  {
    kind: 'truncate',
    fault: { kind: 'truncate', fraction: 0.5 },
    budget: 'consumes',
    saw: (r) => {
      expect(r.status).toBe(200);
      expect(r.error?.message).toBe('aborted');
      const promised = Number(r.headers?.['content-length']);
      expect(r.bytes).toBe(Math.floor(promised / 2));
      expect(() => JSON.parse(r.body)).toThrow();
    },
  },
  {
    kind: 'slow_body',
    fault: { kind: 'slow_body', bytes_per_second: 1000 },
    budget: 'consumes',
    saw: (r) => {
      expect(r.error).toBeUndefined();
      expect(r.bytes).toBe(Number(r.headers?.['content-length']));
      expect(r.chunks).toBeGreaterThan(1);
      expectResponse({ status: r.status!, headers: r.headers, body: json(r) }, 200, 'listScans');
    },
  },
];
