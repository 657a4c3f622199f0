// The browser build of the MSW handlers (scripts/build-browser.mjs): the stand-ins for
// Node's modules agree with Node's own, and the bundle imports nothing but msw (Faker is in it)
// (test/browser/msw-worker.test.ts runs it in Chromium).
import { createHash as nodeHash, hash as nodeOneShot, randomBytes as nodeRandom } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as nodeNet from 'node:net';
import { posix } from 'node:path';
import { join } from 'node:path';
import { BrowserBuffer } from '../../mock/browser/buffer';
import { createHash, hash, randomBytes, sha256, timingSafeEqual } from '../../mock/browser/crypto';
import { isIP, isIPv4, isIPv6 } from '../../mock/browser/net';
import { dirname, join as browserJoin } from '../../mock/browser/path';

const TEXTS = ['', 'abc', 'sk_test_readonly_00000000000000000001', 'é ü 漢字 🙂', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(1000)];

describe('the browser stand-ins for node:crypto', () => {
  it.each(TEXTS.map((t) => [t.length, t]))('hashes %i characters with SHA-256 as node does', (_n, text) => {
    expect(BrowserBuffer.from(sha256(new TextEncoder().encode(text))).toString('hex')).toBe(nodeHash('sha256').update(text).digest('hex'));
  });

  it('hashes in one call, text or bytes, to hex or base64url, as crypto.hash does', () => {
    const bytes = new TextEncoder().encode('{"target":"ws-0001"}');
    for (const data of ['sk_test_admin_000000000000000000000004', bytes, '']) {
      for (const encoding of ['hex', 'base64url'] as const) expect(hash('sha256', data, encoding)).toBe(nodeOneShot('sha256', data, encoding));
    }
    expect(() => hash('sha1', 'x', 'hex')).toThrow(/sha256 only/);
  });

  it('hashes in parts, to hex or to bytes, as createHash does', () => {
    expect(createHash('sha256').update('ab').update('c').digest('hex')).toBe(nodeHash('sha256').update('abc').digest('hex'));
    expect(Array.from(createHash('sha256').update('abc').digest() as Uint8Array)).toEqual(Array.from(nodeHash('sha256').update('abc').digest()));
    expect(() => createHash('md5')).toThrow(/sha256 only/);
  });

  it('draws random bytes from Web Crypto, and compares without short cuts', () => {
    const bytes = randomBytes(70_000);
    expect(bytes.byteLength).toBe(70_000);
    expect(new Set(bytes).size).toBeGreaterThan(200);
    expect(randomBytes(24).toString('base64url')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(() => timingSafeEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toThrow(RangeError);
    expect(nodeRandom(1)).toHaveLength(1);
  });
});

describe('the browser stand-in for Buffer', () => {
  it.each(TEXTS.map((t) => [t.length, t]))('encodes %i characters as node does (UTF-8, base64url, base64, hex)', (_n, text) => {
    const ours = BrowserBuffer.from(text, 'utf8');
    expect(BrowserBuffer.byteLength(text)).toBe(Buffer.byteLength(text));
    for (const enc of ['base64url', 'base64', 'hex'] as const) {
      expect(ours.toString(enc)).toBe(Buffer.from(text).toString(enc));
      expect(BrowserBuffer.from(Buffer.from(text).toString(enc), enc).toString('utf8')).toBe(text);
    }
    expect(ours.toString()).toBe(text);
  });

  it('reads a view of an ArrayBuffer, joins chunks and knows its own', () => {
    const whole = new TextEncoder().encode('{"a": 1}');
    expect(BrowserBuffer.from(whole.buffer, 1, 4).toString('utf8')).toBe('"a":');
    const joined = BrowserBuffer.concat([new TextEncoder().encode('ab'), new TextEncoder().encode('cd')], 4);
    expect(joined.toString()).toBe('abcd');
    expect(BrowserBuffer.isBuffer(joined)).toBe(true);
    expect(BrowserBuffer.isBuffer(new Uint8Array(1))).toBe(false);
  });
});

describe('the browser stand-in for node:path', () => {
  it.each([
    [['/cortex-edr-mock', 'openapi'], '/cortex-edr-mock/openapi'],
    [['/cortex-edr-mock/openapi', 'cortex-edr.yaml'], '/cortex-edr-mock/openapi/cortex-edr.yaml'],
    [['/a/b', '../c', './d'], '/a/c/d'],
    [['a', 'b'], 'a/b'],
  ])('joins %j as node does', (parts, joined) => {
    expect(browserJoin(...parts)).toBe(joined);
    expect(posix.join(...parts)).toBe(joined);
  });

  it.each(['/a/b/c', '/a', 'a/b', 'a'])('takes the folder of %s as node does', (path) => {
    expect(dirname(path)).toBe(posix.dirname(path));
  });
});

describe('the browser stand-in for node:net', () => {
  it.each([
    '::1', '::', '1::', '::ffff:1.2.3.4', '::ffff:01.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1', '1:', '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4', '12345::', 'g::1', '[::1]', 'fe80::1%eth0', 'fe80::1%', '::1%25eth0', 'fe80::1%eth 0', 'FFFF::abcd', '1.2.3.4', '256.1.1.1',
    '01.2.3.4', '1.2.3', '127.0.0.1', '0.0.0.0', '', 'localhost', '::1]evil.example', '1:2:3:4:5:6:7::', '::1.2.3.4', '1:2:3:4:5:6:7:8%1',
  ])('judges %j as node:net does', (text) => {
    expect([isIPv6(text), isIPv4(text), isIP(text)]).toEqual([nodeNet.isIPv6(text), nodeNet.isIPv4(text), nodeNet.isIP(text)]);
  });
});

describe('the bundle (dist/browser/msw.mjs)', () => {
  const bundle = readFileSync(join(__dirname, '..', '..', 'dist', 'browser', 'msw.mjs'), 'utf8');

  it('imports only msw, and names no Node module or folder', () => {
    expect([...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).sort()).toEqual(['msw']);
    expect(bundle).not.toMatch(/require\("node:|from "node:|__dirname|__filename/);
    expect(bundle).not.toMatch(/require\("pino"\)/);
    // Vite turns a Node module it was not told of into an empty stand-in, whose functions
    // are then undefined in the page: the build refuses that (scripts/build-browser.mjs).
    expect(bundle).not.toContain('__vite-browser-external');
  });

  it('embeds the spec as it is in the package', () => {
    const spec = readFileSync(join(__dirname, '..', '..', 'openapi', 'cortex-edr.yaml'), 'utf8');
    expect(bundle).toContain(JSON.stringify(spec).slice(1, 2000));
  });

  it('exports createMswHandlers', () => {
    expect(bundle).toMatch(/export \{ (\w+ as )?createMswHandlers \};\s*$/);
  });
});
