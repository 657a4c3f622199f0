// The browser build's node:crypto stand-in (mock/browser/crypto.ts) signs HMAC-SHA256 as
// node does: it reproduces RFC 9421 B.2.5 and agrees with node:crypto for a key longer than a block.
import { createHmac } from 'node:crypto';
import { createHmac as browserHmac } from '../../mock/browser/crypto';
import { TEST_SHARED_SECRET, VECTORS } from './rfc9421-vectors';

describe("the browser build's HMAC-SHA256", () => {
  it('signs RFC 9421 B.2.5 to the RFC bytes', () => {
    const v = VECTORS.find((x) => x.section === 'B.2.5')!;
    expect(browserHmac('sha256', Buffer.from(TEST_SHARED_SECRET, 'base64')).update(v.base).digest('base64')).toBe(v.signature);
  });

  it('agrees with node:crypto for a key longer than one block', () => {
    const key = Buffer.alloc(100, 7);
    expect(browserHmac('sha256', key).update('abc').digest('hex')).toBe(createHmac('sha256', key).update('abc').digest('hex'));
  });
});
