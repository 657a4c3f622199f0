// Conditional GETs (RFC 9110 section 13.1.2): a GET's 200 carries an ETag; sent back in
// If-None-Match it gets a 304 with no body while the representation is unchanged, at no
// rate-limit cost; once the resource changes (a scan created, with --allow-writes) the same
// If-None-Match gets a 200 with a new ETag. A 304 is only ever sent for an unchanged one.
import { expectStatus, fail, rateLimitFigures } from '../lib/checks';
import type { Harness, Precondition } from '../lib/harness';

export function register(h: Harness): void {
  const { call, can, existingIds, isLive, itWhen, operation, rightRole, settings, keyMissing, keyOf, describe, unique } = h;
  const list = operation('listScans');
  const caching = can('caching');

  describe('conditional GET', () => {
    // The operations that document a 304 (every GET of the CortexEDR spec).
    for (const op of h.spec.operations.filter((o) => o.method === 'get' && o.responses['304'])) {
      const role = rightRole(op);
      itWhen([caching, keyMissing(role)])(`answers ${op.operationId} repeated with its ETag in If-None-Match 304, with no body and no budget spent`, async () => {
        const params = await existingIds(op);
        if (typeof params === 'string') throw new Error(`[fixture] cannot build a request: ${params}`);
        const first = await call(op, { key: keyOf(role), auth: 'valid', params });
        expectStatus(op, first, 200, 'a first GET');
        const etag = first.headers.etag;
        if (!etag) fail('caching', op, first, 'the 200 carries no ETag');
        let again = await call(op, { key: keyOf(role), auth: 'valid', params, headers: { 'If-None-Match': etag } });
        if (again.status === 200) {
          // A representation that changes with every request (whoami shows the rate-limit
          // state) gets a 200 with a new ETag; `*` matches whatever is current (RFC 9110 section 13.1.2).
          if (again.headers.etag === etag) fail('caching', op, again, `If-None-Match: ${etag} matched the current ETag, but the answer is 200, not 304`);
          again = await call(op, { key: keyOf(role), auth: 'valid', params, headers: { 'If-None-Match': '*' } });
          expectStatus(op, again, 304, 'If-None-Match: *');
          return;
        }
        expectStatus(op, again, 304, 'If-None-Match of the ETag just received, nothing changed');
        if (again.text !== '') fail('caching', op, again, 'a 304 has a body');
        if (again.headers.etag !== etag) fail('caching', op, again, `the 304's ETag ${again.headers.etag} is not the 200's ${etag}`);
        const before = rateLimitFigures(first);
        const after = rateLimitFigures(again);
        if (after.reset === before.reset && after.remaining < before.remaining) fail('caching', op, again, `a 304 spent budget: Remaining went from ${before.remaining} to ${after.remaining}`);
      });
    }

    const writes: Precondition = [settings.allowWrites, 'changes state: pass --allow-writes'];
    const notLive: Precondition = [!isLive(keyOf('write')) || settings.allowLive, 'the write key is a live key: pass --allow-live to change live data'];
    itWhen([caching, writes, can('state'), keyMissing('read'), keyMissing('write'), notLive])('answers 200 with a new ETag once the list has changed, never a 304', async () => {
      const first = await call(list, { key: keyOf('read'), auth: 'valid', query: { limit: '100' } });
      expectStatus(list, first, 200, 'a first GET');
      const etag = first.headers.etag;
      if (!etag) fail('caching', list, first, 'the 200 carries no ETag');
      const created = await call(operation('createScan'), { key: keyOf('write'), auth: 'valid', body: { target: `etag-${unique()}.example`, scan_type: 'full' } });
      expectStatus(operation('createScan'), created, 201, 'a valid scan');
      const again = await call(list, { key: keyOf('read'), auth: 'valid', query: { limit: '100' }, headers: { 'If-None-Match': etag } });
      if (again.status === 304) fail('caching', list, again, 'a 304 for a list that changed (a scan was created since the ETag was sent)');
      expectStatus(list, again, 200, 'If-None-Match of an ETag from before a create');
      if (again.headers.etag === etag) fail('caching', list, again, 'the changed list has the same ETag');
    });
  });
}
