// No key reaches a log line, the journal or a response, in any encoding the pipeline
// decodes: a percent-encoded name or value (either case of escape), `+`, repeats, double
// encoding, a key in the path. Each form is first shown to authenticate (or to be read by
// the pipeline), so the test would fail if redaction only matched the literal text.
import request from 'supertest';
import { redact } from '../../lib/redact';
import { KEYS, bearer, captureLogs, testMock } from '../helpers/fixtures';
import { percentEncode as enc } from '../helpers/percent';

const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const upper = (text: string) => text.replace(/%[0-9a-f]{2}/g, (m) => m.toUpperCase());

/** The URL forms tried, for a key `k`: [name, query]. */
function forms(k: string): Array<[string, string]> {
  return [
    ['plain', `api_key=${k}`],
    ['percent-encoded name', `%61pi_key=${k}`],
    ['name fully encoded, upper-case escapes', `${upper(enc('api_key', true))}=${k}`],
    ['value prefix encoded', `api_key=%73k_${k.slice(3)}`],
    ['value fully encoded, lower-case escapes', `api_key=${lower(enc(k, true))}`],
    ['value fully encoded, mixed-case escapes', `api_key=${enc(k, true).replace(/%5f/g, '%5F')}`],
    ['name and value encoded', `${enc('api_key')}=${enc(k)}`],
    ['after other parameters, with +', `limit=1&status=completed&x=a+b&api_key=${k}`],
    ['repeated', `api_key=${k}&api_key=${enc(k)}`],
    ['double-encoded value', `api_key=${enc(k).replace(/%/g, '%25')}`],
    ['upper-case name', `API_KEY=${k}`],
    ['access_token', `access_token=${k}`],
  ];
}

const LEAK = (k: string) => [k, k.slice(8), enc(k), lower(enc(k, true)), upper(enc(k, true)), k.slice(0, 14)];

describe('redaction', () => {
  it.each([
    ['a test key', KEYS.read],
    ['a live key', KEYS.live],
  ])('keeps %s out of logs, the journal and responses in every URL encoding', async (_name, key) => {
    const { lines, logger } = captureLogs();
    const mock = testMock({ logger, config: { allow_live_keys: true, allow_live_keys_in_query: true } });
    const bodies: string[] = [];
    for (const [name, query] of forms(key)) {
      const res = await request(mock.handler).get(`/v1/whoami?${query}`);
      bodies.push(res.text);
      // The forms the pipeline decodes to one api_key authenticate: proof they were read.
      if (!['repeated', 'double-encoded value', 'upper-case name', 'access_token'].includes(name)) expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    for (const path of [`/v1/scans/${key}`, `/v1/scans/${enc(key)}`, `/v1/api-keys/key_${key}`, `/v1/users/${enc(key, true)}`]) {
      bodies.push((await request(mock.handler).get(path).set(bearer(KEYS.admin))).text);
    }
    const journal = (await request(mock.handler).get('/_mock/journal?limit=1000')).text;
    expect(lines.length).toBe(forms(key).length + 5); // and the journal read itself
    for (const text of [lines.join('\n'), journal, ...bodies]) {
      for (const leak of LEAK(key)) expect(text).not.toContain(leak);
      expect(text).not.toMatch(/sk_(test|live)_[A-Za-z0-9]/i);
    }
    expect(journal).toContain('[REDACTED]');
  });

  it('redacts every form in a URL or message, and leaves URLs without secrets as they are', () => {
    for (const key of [KEYS.read, KEYS.live]) {
      for (const [name, query] of forms(key)) {
        const out = redact(`GET /v1/whoami?${query}`);
        for (const leak of LEAK(key)) expect({ name, out }).toEqual({ name, out: expect.not.stringContaining(leak) });
      }
      expect(redact(`expected 401, got 200: {"secret":"${key}"} Authorization: Bearer ${key}`)).not.toContain(key.slice(8));
    }
    expect(redact('/v1/scans?limit=10&cursor=c2Nhbl85ZjJj')).toBe('/v1/scans?limit=10&cursor=c2Nhbl85ZjJj');
    expect(redact('/v1/api-keys/key_read/rotate')).toBe('/v1/api-keys/key_read/rotate');
    expect(redact('/v1/scans?api_key=hunter2')).toBe('/v1/scans?api_key=[REDACTED]');
  });
});
